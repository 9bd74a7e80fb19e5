// The one harness that drives the real Patchbay desktop app through
// tauri-driver and WebKitWebDriver, shared by the end-to-end tests
// (tests/e2e), the README's screenshot (scripts/screenshot.mjs) and the app
// benchmark (bench/app/bench.mjs). No dependencies: plain W3C WebDriver over
// node:http.
//
//   webdriver.js  the W3C client: Session (raw commands), until, sleep
//   browser.js    the element API tests use (webdriverio's names): Browser, Element
//   page.js       functions that run in the page (`pb.analysisShown()` …)
//   launch.js     Xvfb, tauri-driver, launchApp, appBinary, copyProject
//   app.js        App: what a person does with the page (tabs, wires, waits)
//
//   const app = await launchApp({ project });
//   try {
//     const page = new App(app.browser, project);
//     await page.waitForProject();
//     await page.openTab('Run');
//   } finally {
//     await app.close();
//   }

export { App, WAIT_MS, xpathString } from './app.js';
export { Browser, Element, FIND_MS, KEY } from './browser.js';
export { REPO, SAMPLES, appBinary, cliBinary, copyProject, freePort, launchApp, startDisplay, startTauriDriver, targetDir } from './launch.js';
export { PRELUDE } from './page.js';
export { ELEMENT_KEY, Session, WebDriverError, mouse, sleep, until } from './webdriver.js';
