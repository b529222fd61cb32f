// Serves Playwright's protocol on 127.0.0.1 for the tests: prints the ws endpoint, runs until killed.
// node playwright-server.js PACKAGE_FOLDER CHROMIUM [PORT]  (PORT default 0: a free one)
const path = require('path');
const { chromium } = require(path.join(process.argv[2], 'node_modules', 'playwright-core'));
(async () => {
  const server = await chromium.launchServer({
    executablePath: process.argv[3],
    host: '127.0.0.1',
    port: Number(process.argv[4] || 0),
    wsPath: '/playwright',
    headless: true,
    args: ['--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
  console.log(server.wsEndpoint());
  const stop = async () => { await server.close(); process.exit(0); };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
})().catch((e) => { console.error(e); process.exit(1); });
