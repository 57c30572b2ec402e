// What the browser tests share: `ospo serve` on a fresh port of loopback, and headless
// Chromium started with the flags a machine without network needs.
import { spawn } from 'node:child_process';
import { chromium } from 'playwright-core';

// Starts `ospo serve` on `db` and resolves once it prints the address it listens on.
export async function serve(bin, db) {
  const server = spawn(bin, ['serve', '--database', db, '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'ignore'] });
  const base = await new Promise((resolve, reject) => {
    server.stdout.on('data', (chunk) => {
      const m = String(chunk).match(/http:\/\/[0-9.:]+/);
      if (m) resolve(m[0]);
    });
    server.on('exit', (code) => reject(new Error(`ospo serve exited with ${code}`)));
  });
  return { server, base };
}

// Headless Chromium (`$CHROMIUM`, else /usr/bin/chromium) without background networking.
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
