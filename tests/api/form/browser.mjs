// browser.mjs: drive the system Chromium (headless, over the DevTools
// protocol with puppeteer-core) through plain HTML upload forms for
// tests/api/form-browser.test: open a page, choose files, submit, land
// where the server sends the browser, optionally follow a link and wait
// for a text (pages that refresh themselves), and print one JSON line per
// case with what the browser saw; the shell test judges it.
// usage: node browser.mjs CASES.json   (an array of
//   {name, url, files: [paths], follow: "link text", until: "text", wait_s})
// SPDX-License-Identifier: GPL-3.0-or-later
import fs from 'node:fs';
import puppeteer from 'puppeteer-core';

const cases = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run',
         '--disable-background-networking', '--disable-component-update', '--disable-sync',
         '--disable-default-apps', '--disable-extensions',
         // Only loopback is reached: anything else goes to a closed port.
         '--proxy-server=http://127.0.0.1:9'],
});

async function seen(page, response, chain) {
  return page.evaluate((st, ch) => ({
    status: st, chain: ch, url: location.href,
    contentType: document.contentType,
    h1: document.querySelector('h1')?.textContent?.trim() ?? '',
    text: document.body ? document.body.innerText : document.documentElement.textContent,
  }), response ? response.status() : 0, chain);
}

async function run(c) {
  const page = await browser.newPage();
  page.setDefaultTimeout(30000);
  await page.setCacheEnabled(false);   // a page opened twice is fetched twice
  try {
    const first = await page.goto(c.url, {waitUntil: 'load'});
    if (!first || first.status() !== 200)
      return {name: c.name, error: `the form page answered ${first && first.status()}`};
    const input = await page.$('input[type=file]');
    await input.uploadFile(...c.files);
    const [response] = await Promise.all([
      page.waitForNavigation({waitUntil: 'load'}),
      page.click('button[type=submit]'),
    ]);
    const chain = response.request().redirectChain().map(r => r.response()?.status() ?? 0);
    let out = await seen(page, response, chain);
    if (c.follow) {
      const links = await page.$$('a');
      let link = null;
      for (const a of links)
        if ((await a.evaluate(e => e.textContent)).includes(c.follow)) link = a;
      if (!link) return {...out, name: c.name, error: `no link "${c.follow}"`};
      await Promise.all([page.waitForNavigation({waitUntil: 'load'}), link.click()]);
    }
    if (c.until) {
      // The page refreshes itself (meta refresh or Refresh header): poll.
      const deadline = Date.now() + (c.wait_s || 90) * 1000;
      while (Date.now() < deadline) {
        const t = await page.evaluate(() => document.body ? document.body.innerText : '')
          .catch(() => '');
        if (t.includes(c.until)) break;
        await new Promise(r => setTimeout(r, 500));
      }
      const after = await seen(page, null, []);
      out = {...out, final: {url: after.url, h1: after.h1, text: after.text}};
    }
    return {...out, name: c.name};
  } catch (e) {
    return {name: c.name, error: String(e && e.message || e)};
  } finally {
    await page.close().catch(() => {});
  }
}

for (const c of cases)
  process.stdout.write(JSON.stringify(await run(c)) + '\n');
await browser.close();
