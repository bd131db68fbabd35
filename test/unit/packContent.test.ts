/**
 * What `npm publish` would ship, read from `npm pack --dry-run --json` over the built dist/
 * (`npm test` builds first): the compiled nodes and credentials with their codex files and
 * icons, package.json, README.md, LICENSE and CHANGELOG.md; no tests, benchmarks,
 * TypeScript sources, declarations or source maps; and an unpacked size within the budget
 * stated in docs/releasing.md.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';

const ROOT = resolve(__dirname, '..', '..');
/** Bytes, unpacked: 337 380 measured on 2026-12-03, plus about 25% (docs/releasing.md). */
const UNPACKED_BUDGET = 420_000;

const ALLOWED = [
	/^package\.json$/,
	/^README\.md$/,
	/^LICENSE$/,
	/^CHANGELOG\.md$/,
	/^dist\/nodes\/.+\.(js|json|svg|png)$/,
	/^dist\/credentials\/.+\.(js|svg|png)$/,
];
const FORBIDDEN = [/\.ts$/, /\.map$/, /\.test\.js$/, /(^|\/)(test|tests|bench|\.bench|examples|docs)\//];

interface PackResult {
	unpackedSize: number;
	size: number;
	entryCount: number;
	files: Array<{ path: string; size: number }>;
}

function filesUnder(dir: string): string[] {
	if (!existsSync(dir)) return [];
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const path = join(dir, entry.name);
		return entry.isDirectory() ? filesUnder(path) : [path];
	});
}

const rel = (file: string) => relative(ROOT, file).split(sep).join('/');

let pack: PackResult;
let packed: Set<string>;

beforeAll(() => {
	if (!existsSync(join(ROOT, 'dist', 'nodes'))) throw new Error('dist/ is missing: run `npm run build` first (`npm test` does)');
	// npm's own variables would point a nested npm at the outer command's settings.
	const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.toLowerCase().startsWith('npm_')));
	const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, env, encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
	[pack] = JSON.parse(out) as PackResult[];
	packed = new Set(pack.files.map((file) => file.path));
});

test('only the built nodes and credentials, their assets, package.json, README.md, LICENSE and CHANGELOG.md', () => {
	const unexpected = [...packed].filter((path) => !ALLOWED.some((pattern) => pattern.test(path)));
	expect(unexpected).toEqual([]);
	for (const required of ['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md']) expect(packed).toContain(required);
});

test('no tests, benchmarks, TypeScript (sources or declarations) or source maps', () => {
	const forbidden = [...packed].filter((path) => FORBIDDEN.some((pattern) => pattern.test(path)));
	expect(forbidden).toEqual([]);
});

test('every node and credential n8n loads is in, and every compiled file they may require', () => {
	const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { n8n: { nodes: string[]; credentials: string[] } };
	const declared = [...pkg.n8n.nodes, ...pkg.n8n.credentials];
	expect(declared.length).toBeGreaterThanOrEqual(12);
	expect(declared.filter((path) => !packed.has(path))).toEqual([]);
	const built = [...filesUnder(join(ROOT, 'dist', 'nodes')), ...filesUnder(join(ROOT, 'dist', 'credentials'))]
		.map(rel)
		.filter((path) => path.endsWith('.js'));
	expect(built.filter((path) => !packed.has(path))).toEqual([]);
});

test("every node's codex file and every icon the nodes and credentials name is in", () => {
	const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { n8n: { nodes: string[]; credentials: string[] } };
	const missing: string[] = [];
	for (const node of pkg.n8n.nodes) {
		const codex = node.replace(/\.js$/, '.json');
		if (!packed.has(codex)) missing.push(`${node}: codex ${codex}`);
	}
	const icons: string[] = [];
	for (const file of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) {
		const source = readFileSync(join(ROOT, file), 'utf8');
		for (const match of source.matchAll(/['"`]file:([^'"`]+)['"`]/g)) {
			const icon = posix.normalize(posix.join(dirname(file), match[1]));
			icons.push(icon);
			if (!packed.has(icon)) missing.push(`${file}: icon ${icon}`);
		}
	}
	expect(icons.length).toBeGreaterThanOrEqual(pkg.n8n.nodes.length);
	expect(missing).toEqual([]);
});

test(`the unpacked size stays under ${UNPACKED_BUDGET} bytes`, () => {
	process.stdout.write(`npm pack: ${pack.entryCount} files, ${pack.unpackedSize} bytes unpacked, ${pack.size} packed (budget ${UNPACKED_BUDGET})\n`);
	expect(pack.unpackedSize).toBeLessThan(UNPACKED_BUDGET);
});
