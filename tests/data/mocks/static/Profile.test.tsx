import { render } from '@testing-library/react';
import { api } from './api';

const profile = { id: 1, name: 'Test' } satisfies Profile; // mock: jest.fn

jest.mock('./api');

describe('Profile', () => {
  it.only('renders the name', () => {
    jest.mocked(api.getProfile).mockReturnValueOnce(profile);
    render(<Profile />);
  });

  it('renders without a profile', () => {
    jest.spyOn(api, 'getProfile').mockImplementation(function () {
      return { id: 2, name: 'Impl' } as Profile; // mock: jest.fn
    });
  });
});
