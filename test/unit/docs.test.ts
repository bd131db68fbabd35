/**
 * The documentation's links: every relative link and anchor in README.md and docs/**.md
 * leads somewhere, the README stays a short front door that links every docs page, and
 * every node's and credential's documentationUrl (what n8n's "Docs" link opens) and every
 * codex documentation link point at a file and heading that exist in this repository.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
const REPOSITORY = 'https://github.com/n8n-nodes-africa-sms/n8n-nodes-africa-sms';
const README_MAX_LINES = 260;

const rel = (file: string) => relative(ROOT, file).split(sep).join('/');

function filesUnder(dir: string, suffix: string): string[] {
	if (!existsSync(dir)) return [];
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) return filesUnder(path, suffix);
		return entry.name.endsWith(suffix) ? [path] : [];
	});
}

const markdownFiles = () => [join(ROOT, 'README.md'), ...filesUnder(join(ROOT, 'docs'), '.md')];

/** The text with fenced code blocks blanked out (newlines kept, so offsets still give line numbers). */
function withoutFences(markdown: string): string {
	return markdown.replace(/^ {0,3}(```|~~~)[^\n]*\n[\s\S]*?^ {0,3}\1[^\n]*$/gm, (block) => block.replace(/[^\n]/g, ' '));
}

/** The text with inline code spans blanked out: a link written inside backticks is no link. */
function withoutCodeSpans(text: string): string {
	return text.replace(/(`+)[\s\S]*?\1/g, (span) => span.replace(/[^\n]/g, ' '));
}

/** A heading's id as GitHub makes it: lower case, punctuation dropped except - and _, each space a -. */
function slug(headingText: string): string {
	const rendered = headingText
		.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // links and images: their text
		.replace(/<[^>]+>/g, '') // inline HTML
		.replace(/`/g, '')
		.replace(/[*~]/g, '');
	return rendered
		.trim()
		.toLowerCase()
		.replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
		.replace(/ /g, '-');
}

/** Every anchor a Markdown file offers: its headings' ids (repeats numbered -1, -2, …) and explicit HTML ids. */
function anchorsOf(markdown: string): Set<string> {
	const anchors = new Set<string>();
	const seen = new Map<string, number>();
	const text = withoutFences(markdown);
	for (const match of text.matchAll(/^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/gm)) {
		const base = slug(match[1]);
		const count = seen.get(base) ?? 0;
		seen.set(base, count + 1);
		anchors.add(count === 0 ? base : `${base}-${count}`);
	}
	for (const match of text.matchAll(/<a\s+(?:id|name)="([^"]+)"/g)) anchors.add(match[1]);
	return anchors;
}

interface Link {
	line: number;
	text: string;
	target: string;
}

/** Inline links `[text](target)` and reference definitions `[ref]: target`, outside code. */
function linksOf(markdown: string): Link[] {
	const text = withoutCodeSpans(withoutFences(markdown));
	const lineAt = (offset: number) => text.slice(0, offset).split('\n').length;
	const links: Link[] = [];
	for (const match of text.matchAll(/\[((?:[^\]\\]|\\.)*)\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)/g)) {
		links.push({ line: lineAt(match.index), text: match[1].replace(/\s+/g, ' ').trim(), target: match[2] });
	}
	for (const match of text.matchAll(/^ {0,3}\[([^\]]+)\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/gm)) {
		links.push({ line: lineAt(match.index), text: match[1], target: match[2] });
	}
	return links;
}

const isExternal = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target);

const markdownCache = new Map<string, string>();
const readMarkdown = (file: string) => {
	if (!markdownCache.has(file)) markdownCache.set(file, readFileSync(file, 'utf8'));
	return markdownCache.get(file)!;
};

/** Why a file + anchor in this repository does not resolve, or undefined when it does. */
function problemWith(file: string, anchor: string | undefined): string | undefined {
	const shown = rel(file);
	if (shown.startsWith('..')) return `${shown} is outside the repository`;
	if (!existsSync(file)) return `${shown} does not exist`;
	if (anchor === undefined || anchor === '') return undefined;
	if (statSync(file).isDirectory() || !file.endsWith('.md')) return `#${anchor} points into ${shown}, which is not a Markdown file`;
	const anchors = anchorsOf(readMarkdown(file));
	if (anchors.has(decodeURIComponent(anchor))) return undefined;
	return `${shown} has no heading #${anchor}`;
}

/** Every broken relative link of one Markdown file, as "file:line: [text](target): why". */
function brokenLinks(file: string): string[] {
	const broken: string[] = [];
	for (const link of linksOf(readMarkdown(file))) {
		if (isExternal(link.target)) continue;
		const hash = link.target.indexOf('#');
		const path = hash === -1 ? link.target : link.target.slice(0, hash);
		const anchor = hash === -1 ? undefined : link.target.slice(hash + 1);
		const target = path === '' ? file : resolve(dirname(file), decodeURIComponent(path));
		const problem = link.target === '' ? 'empty link target' : problemWith(target, anchor);
		if (problem) broken.push(`${rel(file)}:${link.line}: [${link.text}](${link.target}): ${problem}`);
	}
	return broken;
}

/** A GitHub URL of this repository's main branch (or its README) → the local file and anchor. */
function localTarget(url: string): { file: string; anchor?: string } | undefined {
	const [address, anchor] = url.split('#', 2) as [string, string | undefined];
	if (address === REPOSITORY || address === `${REPOSITORY}/`) return { file: join(ROOT, 'README.md'), anchor };
	const onMain = new RegExp(`^${REPOSITORY.replace(/[.]/g, '\\.')}/(?:blob|tree)/main/(.+)$`).exec(address);
	return onMain ? { file: join(ROOT, decodeURIComponent(onMain[1])), anchor } : undefined;
}

const sourcesWithDocumentationUrl = () => [...filesUnder(join(ROOT, 'nodes'), '.node.ts'), ...filesUnder(join(ROOT, 'credentials'), '.credentials.ts')];

describe('GitHub heading ids', () => {
	test.each([
		['Try it in n8n (`npm run dev`)', 'try-it-in-n8n-npm-run-dev'],
		["Deliberate departures from n8n's conventions", 'deliberate-departures-from-n8ns-conventions'],
		['The editor in a real browser (`npm run test:ui`)', 'the-editor-in-a-real-browser-npm-run-testui'],
		["Mon SMS PRO (Côte d'Ivoire)", 'mon-sms-pro-côte-divoire'],
		['`.npmrc` skips install scripts', 'npmrc-skips-install-scripts'],
		['send_journal and [a link](x.md)', 'send_journal-and-a-link'],
	])('%s → #%s', (heading, id) => {
		expect(slug(heading)).toBe(id);
	});

	test('repeated headings get -1, -2; headings in code blocks are none', () => {
		const anchors = anchorsOf('# Options\n\n## Options\n\n```md\n## Not a heading\n```\n\n### Options\n');
		expect([...anchors]).toEqual(['options', 'options-1', 'options-2']);
	});

	test('links in code are none; wrapped link text and titles are read', () => {
		const links = linksOf('See [the\nbenchmarks](docs/benchmarks.md#x "title") and `[no](link.md)`.\n\n```\n[no](link.md)\n```\n');
		expect(links).toEqual([{ line: 1, text: 'the benchmarks', target: 'docs/benchmarks.md#x' }]);
	});
});

describe('documentation links', () => {
	test('README.md and docs/ are there, with links to check', () => {
		const files = markdownFiles().map(rel);
		expect(files).toContain('README.md');
		expect(files).toContain('docs/README.md');
		const relativeLinks = linksOf(readMarkdown(join(ROOT, 'README.md'))).filter((link) => !isExternal(link.target));
		expect(relativeLinks.length).toBeGreaterThan(10);
	});

	test.each(markdownFiles().map((file) => [rel(file), file]))('%s: every relative link and anchor resolves', (_name, file) => {
		expect(brokenLinks(file)).toEqual([]);
	});

	test(`README.md is a front door: at most ${README_MAX_LINES} lines`, () => {
		const lines = readMarkdown(join(ROOT, 'README.md')).replace(/\n$/, '').split('\n').length;
		expect(lines).toBeLessThanOrEqual(README_MAX_LINES);
	});

	test('README.md links every docs page', () => {
		const readme = join(ROOT, 'README.md');
		const linked = new Set(
			linksOf(readMarkdown(readme))
				.filter((link) => !isExternal(link.target))
				.map((link) => rel(resolve(ROOT, decodeURIComponent(link.target.split('#')[0])))),
		);
		const unlinked = filesUnder(join(ROOT, 'docs'), '.md')
			.map(rel)
			.filter((page) => !linked.has(page));
		expect(unlinked).toEqual([]);
	});
});

describe("nodes' and credentials' documentationUrl", () => {
	test('there are nodes and credentials to check', () => {
		const sources = sourcesWithDocumentationUrl().map(rel);
		expect(sources.filter((file) => file.endsWith('.node.ts')).length).toBeGreaterThanOrEqual(5);
		expect(sources.filter((file) => file.endsWith('.credentials.ts')).length).toBeGreaterThanOrEqual(4);
	});

	test.each(sourcesWithDocumentationUrl().map((file) => [rel(file), file]))('%s: documentationUrl opens an existing page and heading', (_name, file) => {
		const urls = [...readFileSync(file, 'utf8').matchAll(/documentationUrl\s*[:=]\s*(['"`])(.*?)\1/g)].map((match) => match[2]);
		const problems: string[] = [];
		if (urls.length === 0) problems.push(`${rel(file)}: no documentationUrl`);
		for (const url of urls) {
			const target = localTarget(url);
			const problem = target ? problemWith(target.file, target.anchor) : `not ${REPOSITORY}/blob/main/<path> nor the README`;
			if (problem) problems.push(`${rel(file)}: documentationUrl ${url}: ${problem}`);
		}
		expect(problems).toEqual([]);
	});

	test.each(filesUnder(join(ROOT, 'nodes'), '.node.json').map((file) => [rel(file), file]))("%s: the codex's documentation links open an existing page and heading", (_name, file) => {
		const codex = JSON.parse(readFileSync(file, 'utf8')) as { resources?: Record<string, Array<{ url: string }>> };
		const urls = Object.values(codex.resources ?? {}).flatMap((links) => links.map((link) => link.url));
		const problems: string[] = [];
		if (urls.length === 0) problems.push(`${rel(file)}: no documentation link`);
		for (const url of urls) {
			const target = localTarget(url);
			const problem = target ? problemWith(target.file, target.anchor) : `not ${REPOSITORY}/blob/main/<path> nor the README`;
			if (problem) problems.push(`${rel(file)}: ${url}: ${problem}`);
		}
		expect(problems).toEqual([]);
	});
});
