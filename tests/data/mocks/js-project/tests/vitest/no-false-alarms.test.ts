import { describe, expect, it, vi } from 'vitest';

describe('not API responses', () => {
  it('fakes random, the clock and the console', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    vi.spyOn(Date, 'now').mockReturnValue(0);
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    console.error('quiet');
    expect(Math.random() + Date.now()).toBe(0.5);
    expect(error).toHaveBeenCalled();
    vi.restoreAllMocks();
  });

  it('mocks scalars and empty values', async () => {
    const logger = { info: vi.fn(() => undefined) };
    const count = vi.fn().mockReturnValue(42);
    const list = vi.fn().mockResolvedValue([]);
    const options = vi.fn(() => ({}));
    const now = vi.fn().mockReturnValue({ epoch: 0 });
    vi.spyOn(performance, 'now').mockReturnValue(1);
    logger.info();
    expect(count() + (await list()).length + Object.keys(options()).length).toBe(42);
    expect(typeof now).toBe('function');
  });
});
