/**
 * The browser the editor (UI) tests drive: the machine's Chromium (Debian's `chromium`
 * package, or any Chromium/Chrome named below), run by playwright-core, which downloads
 * no browser of its own. When none is found and we are root on a machine with apt-get,
 * Debian's chromium is installed once; otherwise the caller skips, saying how to install it.
 */
import { execFileSync } from 'node:child_process';
import { accessSync, closeSync, constants, mkdirSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

import { chromium, type Browser } from 'playwright-core';

/** Names a Chromium goes by on PATH: Debian, Ubuntu/Fedora, Google's packages. */
const CANDIDATES = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome'];
export const INSTALL_HINT = 'install it with `sudo apt-get install -y chromium` (Debian/Ubuntu; `chromium-browser` elsewhere), or set CHROMIUM_PATH to a Chromium or Chrome binary';

function executable(file: string): boolean {
	try {
		accessSync(file, constants.X_OK);
		return true;
	} catch {
		return false;
	}
}

function onPath(name: string): string | undefined {
	for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
		if (executable(join(dir, name))) return join(dir, name);
	}
	return undefined;
}

/** CHROMIUM_PATH when set, else the first Chromium on PATH. */
export function findChromium(): string | undefined {
	const configured = process.env.CHROMIUM_PATH;
	if (configured) {
		if (!executable(configured)) throw new Error(`CHROMIUM_PATH=${configured} is not an executable file`);
		return configured;
	}
	for (const name of CANDIDATES) {
		const found = onPath(name);
		if (found) return found;
	}
	return undefined;
}

export type ChromiumLookup = { path: string } | { path?: undefined; reason: string };

/**
 * Finds Chromium, installing Debian's package when it is missing and we may (root, apt-get).
 * Synchronous on purpose: a test file decides at load time whether its suite runs or is skipped.
 */
export function ensureChromium(progress: (line: string) => void = (line) => process.stdout.write(`[ui] ${line}\n`)): ChromiumLookup {
	const found = findChromium();
	if (found) return { path: found };
	const root = process.getuid?.() === 0;
	const aptGet = onPath('apt-get');
	if (!root || !aptGet) {
		return { reason: `no Chromium found on this machine (looked for CHROMIUM_PATH, ${CANDIDATES.join(', ')} on PATH): ${INSTALL_HINT}` };
	}
	const logDir = join(tmpdir(), 'africa-sms-ui');
	mkdirSync(logDir, { recursive: true });
	const log = join(logDir, 'apt-get-chromium.log');
	progress(`Chromium is missing: installing Debian's chromium package (apt-get update, then apt-get install -y chromium; a minute or two; log: ${log}) ...`);
	const started = Date.now();
	const fd = openSync(log, 'a');
	try {
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
		execFileSync(aptGet, ['update'], { stdio: ['ignore', fd, fd], env });
		execFileSync(aptGet, ['install', '-y', 'chromium'], { stdio: ['ignore', fd, fd], env });
	} catch (error) {
		return { reason: `apt-get could not install chromium (${(error as Error).message.split('\n')[0]}; see ${log}): ${INSTALL_HINT}` };
	} finally {
		closeSync(fd);
	}
	const installed = findChromium();
	if (!installed) return { reason: `apt-get installed chromium but no ${CANDIDATES.join('/')} is on PATH: ${INSTALL_HINT}` };
	progress(`Chromium installed at ${installed} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
	return { path: installed };
}

/** Headless Chromium; --no-sandbox because the tests may run as root (in a container, CI). */
export async function launchChromium(executablePath: string): Promise<Browser> {
	return chromium.launch({ executablePath, headless: true, args: ['--no-sandbox'] });
}
