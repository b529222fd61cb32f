module.exports = { test: { include: ['vitest/**/*.test.js'] } };
