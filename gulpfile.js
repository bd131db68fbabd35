const path = require('path');
const { src, dest, task } = require('gulp');

// n8n loads icons and codex files from dist/, next to the compiled nodes.
function copyAssets() {
	return src(['nodes/**/*.{png,svg,json}', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest(path.resolve('dist')));
}

task('build:assets', copyAssets);
