/**
 * longText.ts: refusing texts over a provider's limit with advice that holds,
 * and cutting them into numbered SMS "(i/n) …". Example tests, then property
 * tests with fast-check over generated texts (words, spaces, no-break spaces,
 * emoji, long words); a failure prints the seed and the shrunk input.
 */
import fc from 'fast-check';
import { characterCount, combineParts, fitText, splitNumbered, TextTooLong } from '../../nodes/shared/longText';
import { analyzeText, transliterateToGsm7 } from '../../nodes/shared/text';

const ION = { maxCharacters: 160, providerName: 'ION SMS Gateway', split: false, transliterated: false, field: 'Message' };

/** The error fitText throws, or a failure when it returns. */
function tooLong(text: string, limit: Partial<typeof ION> = {}): TextTooLong {
	try {
		fitText(text, { ...ION, ...limit });
	} catch (error) {
		expect(error).toBeInstanceOf(TextTooLong);
		return error as TextTooLong;
	}
	throw new Error(`fitText accepted a text of ${characterCount(text)} characters`);
}

const NUMBERED = /^\((\d+)\/(\d+)\) ([\s\S]*)$/;
const WHITESPACE = /\s/;
/** Where a part may end: ordinary whitespace, not the no-break spaces French puts before ! ? : ; ». */
const BREAK = /[ \t\r\n]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Whether `bodies` are `text` (trimmed) in order, with nothing added or changed,
 * where only whitespace may be missing, and only between two bodies. Returns,
 * per boundary, the whitespace dropped there ('' for a cut inside a word), or
 * undefined when the bodies are not such a cover of the text.
 */
function separatorsOf(text: string, bodies: string[]): string[] | undefined {
	const t = text.trim();
	const separators: string[] = [];
	let pos = 0;
	for (const [i, body] of bodies.entries()) {
		if (i > 0) {
			const start = pos;
			while (pos < t.length && WHITESPACE.test(t[pos])) pos++;
			separators.push(t.slice(start, pos));
		}
		if (!body || !t.startsWith(body, pos)) return undefined;
		pos += body.length;
	}
	return pos === t.length ? separators : undefined;
}

/**
 * What splitNumbered promises for `parts` of `text` under `max`; the first broken
 * promise, or the number of cuts of each kind. For every text and limit 12..200:
 * 1. each part has at most `max` code points and no lone surrogate;
 * 2. part i is "(i/n) body", n the number of parts, the body non-empty and
 *    neither starting nor ending with whitespace;
 * 3. the bodies, in order, are the trimmed text with only whitespace removed,
 *    and only at the cuts: text.trim() === b1 + s1 + b2 + … + bn, every s a
 *    (possibly empty) run of whitespace;
 * 4. a cut without ordinary whitespace (s empty, or only no-break spaces) is a
 *    forced one: the part had no ordinary whitespace past half its room, and
 *    the room was full (what the part took, whitespace around its body
 *    included, reaches the room). So a part never ends at a no-break space when
 *    it could end at a space, nor early at a no-break space.
 * The room is `max` less the prefix "(n/n) "; splitNumbered may have sized the
 * prefix for 10 or 100 parts and ended with fewer, so up to 2 less.
 */
function checkSplit(text: string, max: number, parts: string[]): { broken?: string; forced: number; atSpace: number } {
	const result = { forced: 0, atSpace: 0 };
	if (parts.length < 1) return { ...result, broken: 'no part' };
	const bodies: string[] = [];
	for (const [i, part] of parts.entries()) {
		if (characterCount(part) > max) return { ...result, broken: `part ${i + 1} has ${characterCount(part)} characters` };
		if (LONE_SURROGATE.test(part)) return { ...result, broken: `part ${i + 1} cuts a surrogate pair` };
		const [, index, count, body] = NUMBERED.exec(part) ?? [];
		if (Number(index) !== i + 1 || Number(count) !== parts.length) return { ...result, broken: `part ${i + 1} is numbered ${index}/${count} of ${parts.length}` };
		if (body === '' || body !== body.trim()) return { ...result, broken: `part ${i + 1} has an empty or untrimmed body` };
		bodies.push(body);
	}
	const separators = separatorsOf(text, bodies);
	if (!separators) return { ...result, broken: `the bodies are not the text: ${JSON.stringify(bodies)}` };
	const room = max - `(${parts.length}/${parts.length}) `.length;
	for (const [i, s] of separators.entries()) {
		if (BREAK.test(s)) {
			result.atSpace++;
			continue;
		}
		result.forced++;
		const chars = Array.from(bodies[i]);
		if (chars.slice(Math.floor(room / 2) + 1).some((c) => BREAK.test(c))) {
			return { ...result, broken: `part ${i + 1} ends without a space though it has one past half its room (${room})` };
		}
		const before = i === 0 ? 0 : characterCount(separators[i - 1]);
		if (before + chars.length + characterCount(s) < room - 2) {
			return { ...result, broken: `part ${i + 1} ends without a space though its room (${room}) was not full` };
		}
	}
	return result;
}

/** Runs fast-check; a failed property reports its seed, shrunk input and message. */
function holds<T>(arbitrary: fc.Arbitrary<T>, check: (input: T) => void, numRuns: number): void {
	fc.assert(fc.property(arbitrary, check), { numRuns });
}

// Letters of all widths: GSM-7, Latin-1 accents, French typography, astral (emoji, musical symbol), CJK.
const ANY = ['a', 'b', 'z', 'E', '7', '.', ',', '!', '€', '[', 'é', 'à', 'ç', 'ê', 'œ', '’', '«', '»', '…', '😀', '👍', '🏽', '𝄞', '中', '\u200b'];
// French text: GSM-7 plus what transliteration replaces, so that it can become plain GSM-7.
const FRENCH = ['a', 'e', 's', 't', 'M', '.', ',', '€', 'é', 'à', 'ç', 'ê', 'œ', '’', '«', '»', '…', '\u200b'];
// Ordinary whitespace (where parts may end) and no-break spaces (where they may not).
const SPACES = [' ', ' ', ' ', '  ', '\n', ' \n ', '\t', '\u00a0', '\u202f'];

/**
 * A text of words and whitespace runs, at least one word; now and then a long
 * word, or whitespace around it. (fast-check keeps arrays short unless told
 * `size: 'max'`: up to 10 or so elements whatever maxLength says.)
 */
function textOf(letters: readonly string[] = ANY, maxWords = 100): fc.Arbitrary<string> {
	const letter = fc.constantFrom(...letters);
	const word = fc
		.oneof({ weight: 19, arbitrary: fc.array(letter, { minLength: 1, maxLength: 12, size: 'max' }) }, { weight: 1, arbitrary: fc.array(letter, { minLength: 30, maxLength: 250, size: 'max' }) })
		.map((chars) => chars.join(''));
	const space = fc.constantFrom(...SPACES);
	return fc
		.record({
			before: fc.oneof({ weight: 4, arbitrary: fc.constant('') }, { weight: 1, arbitrary: space }),
			words: fc.array(fc.tuple(word, space), { minLength: 1, maxLength: maxWords, size: 'max' }),
			after: fc.oneof({ weight: 7, arbitrary: fc.constant(false) }, { weight: 3, arbitrary: fc.constant(true) }),
		})
		.map(({ before, words, after }) => {
			const text = before + words.map(([w, s]) => w + s).join('');
			return after ? text : text.trimEnd();
		});
}

/** The first `n` code points (whitespace at the end is kept, a word may be cut). */
const clip = (text: string, n: number) => Array.from(text).slice(0, n).join('');
const limitArb = fc.oneof(fc.constantFrom(12, 13, 20, 70, 160), fc.integer({ min: 12, max: 200 }));

describe('splitNumbered: examples', () => {
	test('cuts at the last space of each part, numbers the parts, keeps every word', () => {
		const words = Array.from({ length: 30 }, (_, i) => `mot${String(i).padStart(2, '0')}`);
		const parts = splitNumbered(words.join(' '), 160);
		// room = 160 - "(2/2) ".length = 154: 25 words (149 characters) fit in part 1.
		expect(parts).toEqual([`(1/2) ${words.slice(0, 25).join(' ')}`, `(2/2) ${words.slice(25).join(' ')}`]);
	});

	test('a single long word is cut hard, and the part count settles with the prefix width', () => {
		expect(splitNumbered('a'.repeat(50), 20)).toEqual([`(1/4) ${'a'.repeat(14)}`, `(2/4) ${'a'.repeat(14)}`, `(3/4) ${'a'.repeat(14)}`, `(4/4) ${'a'.repeat(8)}`]);
		// Ten parts or more: "(10/12) " takes 8 characters, so the room shrinks to 12.
		const parts = splitNumbered('a'.repeat(130), 20);
		expect(parts).toHaveLength(11);
		expect(parts[0]).toBe(`(1/11) ${'a'.repeat(12)}`);
		expect(parts[10]).toBe(`(11/11) ${'a'.repeat(10)}`);
		for (const p of parts) expect(characterCount(p)).toBeLessThanOrEqual(20);
	});

	test('emoji count as one character and are never cut in half', () => {
		const parts = splitNumbered('😀'.repeat(30), 12);
		expect(parts).toEqual(Array.from({ length: 5 }, (_, i) => `(${i + 1}/5) ${'😀'.repeat(6)}`));
		for (const p of parts) expect(p).not.toMatch(LONE_SURROGATE);
	});

	test('whitespace runs at a cut disappear; inside a part they are kept as written', () => {
		expect(splitNumbered('aaaa   bbbb\n\ncccc', 12)).toEqual(['(1/3) aaaa', '(2/3) bbbb', '(3/3) cccc']);
		expect(splitNumbered('ab  cd   efghij', 14)).toEqual(['(1/2) ab  cd', '(2/2) efghij']);
	});

	test('French no-break spaces hold: "mot\u202f!" stays together, the part ends at the space before it', () => {
		const text = 'Bonjour\u202f! Votre rendez-vous est confirmé\u00a0: demain à 9 h. «\u00a0Merci\u00a0» de votre confiance\u202f; à bientôt\u202f?';
		const parts = splitNumbered(text, 30);
		// Breaking at any whitespace started parts 3 and 4 with ":" and "»".
		expect(parts).toEqual(['(1/5) Bonjour\u202f! Votre', '(2/5) rendez-vous est', '(3/5) confirmé\u00a0: demain à 9 h.', '(4/5) «\u00a0Merci\u00a0» de votre', '(5/5) confiance\u202f; à bientôt\u202f?']);
		// Room 24: the space before "ddd…\u202f!" is past half of it, so the part ends there and the word moves whole.
		expect(splitNumbered('aaaa bbbb cccc ddddddddddddddd\u202f! eeee', 30)).toEqual(['(1/2) aaaa bbbb cccc', '(2/2) ddddddddddddddd\u202f! eeee']);
		// A word longer than the room (14) is cut where it must, here just after its no-break space.
		expect(splitNumbered(`${'x'.repeat(13)}\u202f!`, 20)).toEqual([`(1/2) ${'x'.repeat(13)}`, '(2/2) !']);
	});

	test('a limit that leaves no room for the prefix is an error, not a loop', () => {
		expect(() => splitNumbered('abc def ghi', 6)).toThrow('a limit of 6 characters leaves no room for numbered parts');
		// 12 characters leave room for 2 per part up to 999 parts, no further.
		expect(() => splitNumbered('a'.repeat(2100), 12)).toThrow('leaves no room');
	});
});

describe('the checks themselves', () => {
	// The properties below rest on separatorsOf and checkSplit: they must reject what a wrong split would give.
	test('separatorsOf accepts a faithful cover and reports what was dropped at each cut', () => {
		expect(separatorsOf(' ab  cd\nef ', ['ab', 'cd\nef'])).toEqual(['  ']);
		expect(separatorsOf('abcdef', ['abc', 'def'])).toEqual(['']);
		expect(separatorsOf('ab\u202f!', ['ab', '!'])).toEqual(['\u202f']);
	});

	test('separatorsOf rejects a lost, added, changed or reordered character, and a lost word at the end', () => {
		expect(separatorsOf('ab cd', ['ab', 'c'])).toBeUndefined();
		expect(separatorsOf('ab cd', ['ab', 'cdx'])).toBeUndefined();
		expect(separatorsOf('ab cd', ['ab', 'ce'])).toBeUndefined();
		expect(separatorsOf('ab cd', ['cd', 'ab'])).toBeUndefined();
		expect(separatorsOf('ab cd ef', ['ab', 'cd'])).toBeUndefined();
		expect(separatorsOf('ab-cd', ['ab', 'cd'])).toBeUndefined();
		expect(separatorsOf('ab cd', ['ab', '', 'cd'])).toBeUndefined();
	});

	test('checkSplit accepts what splitNumbered gives, and rejects long, misnumbered or untrimmed parts', () => {
		const text = 'aaaa bbbb cccc dddd\u202f! eeee';
		expect(checkSplit(text, 20, splitNumbered(text, 20))).toEqual({ forced: 0, atSpace: 1 });
		expect(checkSplit('a'.repeat(50), 20, splitNumbered('a'.repeat(50), 20))).toEqual({ forced: 3, atSpace: 0 });
		expect(checkSplit(text, 20, ['(1/2) aaaa bbbb cccc dddd\u202f!', '(2/2) eeee']).broken).toBe('part 1 has 27 characters');
		expect(checkSplit(text, 30, ['(1/2) aaaa bbbb cccc', '(1/2) dddd\u202f! eeee']).broken).toBe('part 2 is numbered 1/2 of 2');
		expect(checkSplit(text, 30, ['(1/2) aaaa bbbb cccc ', '(2/2) dddd\u202f! eeee']).broken).toBe('part 1 has an empty or untrimmed body');
		expect(checkSplit(text, 30, ['(1/2) aaaa bbbb', '(2/2) dddd\u202f! eeee']).broken).toMatch(/^the bodies are not the text/);
	});

	test('checkSplit rejects a part that ends at a no-break space, or inside a word, where a space was near', () => {
		// What splitting at any whitespace gave: room 14, part 1 ends at the no-break space after "«".
		const french = 'aaaaaaa «\u00a0bbbbbbbbbbbb';
		expect(checkSplit(french, 20, ['(1/2) aaaaaaa «', '(2/2) bbbbbbbbbbbb']).broken).toBe('part 1 ends without a space though its room (14) was not full');
		// Now: no ordinary space past half the room, so the word is cut where the room ends.
		expect(splitNumbered(french, 20)).toEqual(['(1/2) aaaaaaa «\u00a0bbbb', '(2/2) bbbbbbbb']);
		expect(checkSplit(french, 20, splitNumbered(french, 20))).toEqual({ forced: 1, atSpace: 0 });
		// A word cut although a space was in the second half of the part.
		expect(checkSplit('aaaaaaaa bbbbbb', 20, ['(1/2) aaaaaaaa b', '(2/2) bbbbb']).broken).toBe('part 1 ends without a space though it has one past half its room (14)');
		expect(checkSplit('aaaaaaaa bbbbbb', 20, splitNumbered('aaaaaaaa bbbbbb', 20))).toEqual({ forced: 0, atSpace: 1 });
	});
});

describe('splitNumbered: properties', () => {
	test('parts fit, are numbered, are the text in order with only whitespace lost at the cuts, and end at a space unless forced', () => {
		const seen = { forced: 0, atSpace: 0, noBreakInside: 0 };
		holds(
			// Up to about 40 parts: the property is per part, and small limits are slow to split.
			fc.tuple(limitArb, textOf()).map(([max, text]) => ({ max, text: clip(text, Math.min(700, max * 8)) })),
			({ text, max }) => {
				const parts = splitNumbered(text, max);
				const { broken, forced, atSpace } = checkSplit(text, max, parts);
				if (broken) throw new Error(broken);
				seen.forced += forced;
				seen.atSpace += atSpace;
				if (parts.some((p) => /[\u00a0\u202f]/.test(p))) seen.noBreakInside++;
			},
			3000,
		);
		// The generator reaches both kinds of cut and no-break spaces inside parts, so every branch was exercised.
		expect(seen.forced).toBeGreaterThan(5000);
		expect(seen.atSpace).toBeGreaterThan(5000);
		expect(seen.noBreakInside).toBeGreaterThan(1000);
	});

	test('French punctuation after a no-break space never starts a part, and « never ends one, when words are short', () => {
		// Words of at most 10 characters, punctuation included, in parts of room 22 or more: a space is always near.
		const word = fc
			.tuple(
				fc.array(fc.constantFrom(...FRENCH.filter((c) => c !== '«' && c !== '»')), { minLength: 1, maxLength: 6, size: 'max' }).map((chars) => chars.join('')),
				fc.constantFrom('', '', '\u202f!', '\u202f?', '\u00a0:', '\u202f;', 'guillemets'),
			)
			.map(([w, mark]) => (mark === 'guillemets' ? `«\u00a0${w}\u00a0»` : w + mark));
		const french = fc.tuple(fc.array(fc.tuple(word, fc.constantFrom(' ', ' ', '\n', '  ')), { minLength: 1, maxLength: 100, size: 'max' }), fc.integer({ min: 30, max: 200 }));
		let parts = 0;
		holds(
			french,
			([words, max]) => {
				const text = words.map(([w, s]) => w + s).join('');
				for (const part of splitNumbered(text, max)) {
					const body = part.replace(NUMBERED, '$3');
					if (/^[!?:;»]/.test(body) || /«$/.test(body)) throw new Error(`a no-break space was broken: ${JSON.stringify(part)}`);
					parts++;
				}
			},
			1000,
		);
		expect(parts).toBeGreaterThan(3000);
	});

	test('a text that fits one part once trimmed is one part "(1/1) text"', () => {
		let single = 0;
		holds(
			fc.tuple(textOf(ANY, 12), fc.integer({ min: 12, max: 160 })),
			([text, max]) => {
				const fits = characterCount(text.trim()) <= max - '(1/1) '.length;
				if (fits) single++;
				const parts = splitNumbered(text, max);
				if (fits) expect(parts).toEqual([`(1/1) ${text.trim()}`]);
				else expect(parts.length).toBeGreaterThan(1);
			},
			500,
		);
		expect(single).toBeGreaterThan(100);
	});
});

describe('fitText', () => {
	test('a text within the limit is returned as it is, counted in code points', () => {
		for (const text of ['Bonjour', 'a'.repeat(160), '😀'.repeat(160), '’'.repeat(160), ` ${'a'.repeat(158)} `]) {
			expect(fitText(text, ION)).toEqual([text]);
			expect(fitText(text, { ...ION, split: true })).toEqual([text]);
		}
	});

	test('a text over the limit only because of the whitespace around it is the trimmed text, split or not', () => {
		const text = `${'a'.repeat(150)}${' '.repeat(11)}`;
		expect(fitText(text, ION)).toEqual(['a'.repeat(150)]);
		expect(fitText(text, { ...ION, split: true })).toEqual(['a'.repeat(150)]);
		const around = `\n\u00a0 ${'é'.repeat(160)}\t\u202f`;
		expect(fitText(around, ION)).toEqual(['é'.repeat(160)]);
		expect(fitText(around, { ...ION, split: true })).toEqual(['é'.repeat(160)]);
		// One character more is refused (or split), whitespace or not.
		expect(tooLong(` ${'a'.repeat(161)} `).message).toMatch(/has 163 characters/);
		expect(fitText(` ${'a'.repeat(161)} `, { ...ION, split: true })).toHaveLength(2);
	});

	test('over the limit without Split: TextTooLong with the count, the limit and the number of SMS it would take', () => {
		const error = tooLong('a'.repeat(161));
		expect(error.message).toBe('The Message has 161 characters; ION SMS Gateway takes at most 160 in one SMS and does not join longer texts');
		expect(error.description).toBe("Shorten it, or turn on the option 'Split Long Text Into Numbered SMS' to send it as 2 numbered SMS.");
		expect(tooLong('a'.repeat(400), { field: 'Message (filled for this item)' }).message).toMatch(/^The Message \(filled for this item\) has 400 characters/);
		expect(tooLong('a'.repeat(400)).description).toMatch(/as 3 numbered SMS/);
	});

	test('over the limit with Split: the numbered parts', () => {
		const text = 'mot '.repeat(60).trim();
		expect(fitText(text, { ...ION, split: true })).toEqual(splitNumbered(text, 160));
	});

	test('Transliterate is suggested only for a Unicode text, and says what it would do', () => {
		// ’ « » are replaced one for one: still over 160, but each part becomes GSM-7.
		const typographic = `L’équipe « ION » ${'merci '.repeat(30)}`;
		expect(tooLong(typographic).description).toMatch(/ With 'Transliterate to GSM-7' as well, each part is a plain GSM-7 SMS \(160 characters\) instead of several Unicode ones \(70\)\.$/);
		// Zero-width spaces are removed: the text then fits, and that comes first.
		const zeroWidth = `« ${'a'.repeat(150)} »${'\u200b'.repeat(10)}`;
		expect(tooLong(zeroWidth).description).toMatch(/^Turning on 'Transliterate to GSM-7' brings it to 154 characters, within the limit\. Shorten it/);
		// Emoji stay Unicode whatever is done: no transliteration advice.
		expect(tooLong(`${'😀'.repeat(100)} ${'é'.repeat(100)}`).description).not.toMatch(/Transliterate/);
		// GSM-7 text, or a text already transliterated: none either.
		expect(tooLong('a'.repeat(200)).description).not.toMatch(/Transliterate/);
		expect(tooLong(typographic, { transliterated: true }).description).not.toMatch(/Transliterate/);
		expect(tooLong(zeroWidth, { transliterated: true }).description).not.toMatch(/Transliterate/);
	});

	// Transliteration removes the zero-width space that kept 5 spaces inside the text: the advice
	// measures the transliterated text trimmed, as fitText then sends it.
	test('a text that transliteration brings within the limit once trimmed is advised so', () => {
		const text = `\u200b     ${'a'.repeat(158)}`;
		expect(fitText(transliterateToGsm7(text), { ...ION, transliterated: true })).toEqual(['a'.repeat(158)]);
		expect(tooLong(text).description).toMatch(/^Turning on 'Transliterate to GSM-7' brings it to 158 characters, within the limit\./);
	});

	test('property: refuses exactly the texts over the limit once trimmed, and every piece of advice is true', () => {
		const seen = { fits: 0, trimmed: 0, within: 0, asWell: 0 };
		const zeroWidth = fc.oneof({ weight: 7, arbitrary: fc.constant('') }, { weight: 3, arbitrary: fc.integer({ min: 1, max: 30 }).map((n) => '\u200b'.repeat(n)) });
		const padding = fc.oneof({ weight: 3, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constantFrom(...SPACES, ' '.repeat(11), '\u00a0 \n') });
		holds(
			fc
				.record({
					max: fc.oneof(fc.constant(160), fc.integer({ min: 20, max: 200 })),
					base: fc.oneof(textOf(FRENCH, 60), textOf(ANY, 60)),
					around: fc.integer({ min: -12, max: 20 }),
					zeroWidth,
					zeroWidthFirst: fc.boolean(),
					before: padding,
					after: padding,
					transliterated: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
				})
				// Around the limit, so that every outcome and both kinds of advice come up.
				.map(({ max, base, around, zeroWidth, zeroWidthFirst, before, after, transliterated }) => {
					const core = clip(base, max + around);
					const text = before + (zeroWidthFirst ? zeroWidth + core : core + zeroWidth) + after;
					return { text, max, transliterated };
				}),
			({ text, max, transliterated }) => {
				const limit = { ...ION, maxCharacters: max, transliterated };
				const count = characterCount(text);
				if (count <= max) {
					seen.fits++;
					expect(fitText(text, limit)).toEqual([text]);
					return;
				}
				if (characterCount(text.trim()) <= max) {
					seen.trimmed++;
					expect(fitText(text, limit)).toEqual([text.trim()]);
					expect(fitText(text, { ...limit, split: true })).toEqual([text.trim()]);
					return;
				}
				const error = tooLong(text, limit);
				expect(error.message).toContain(`has ${count} characters; ION SMS Gateway takes at most ${max} in one SMS`);
				expect(error.description).toContain(`to send it as ${splitNumbered(text, max).length} numbered SMS`);
				const plain = transliterateToGsm7(text);
				const unicode = analyzeText(text).encoding === 'UCS-2';
				if (!unicode || transliterated) {
					expect(error.description).not.toMatch(/Transliterate/);
					return;
				}
				// The advice is measured against what fitText does with the transliterated text.
				const plainFits = fitText(plain, { ...limit, transliterated: true, split: true }).length === 1;
				const within = /brings it to (\d+) characters, within the limit/.exec(error.description);
				const asWell = /With 'Transliterate to GSM-7' as well, each part is a plain GSM-7 SMS/.test(error.description);
				// Said exactly when true: transliteration brings the text within the limit, and to that count.
				expect(within !== null).toBe(plainFits);
				if (within) expect(Number(within[1])).toBe(characterCount(plain.trim()));
				// Said exactly when the text stays too long but becomes plain GSM-7.
				expect(asWell).toBe(!plainFits && analyzeText(plain).encoding === 'GSM-7');
				if (within) seen.within++;
				if (asWell) seen.asWell++;
			},
			3000,
		);
		expect(seen.fits).toBeGreaterThan(500);
		expect(seen.trimmed).toBeGreaterThan(50);
		expect(seen.within).toBeGreaterThan(20);
		expect(seen.asWell).toBeGreaterThan(200);
	});

	test('property: with Split on, every text gives parts within the limit, and a text that fits once trimmed is one SMS', () => {
		holds(
			fc.tuple(textOf(ANY, 80), fc.integer({ min: 20, max: 200 })).map(([text, max]) => ({ text: clip(text, 600), max })),
			({ text, max }) => {
				const parts = fitText(text, { ...ION, maxCharacters: max, split: true });
				for (const p of parts) expect(characterCount(p)).toBeLessThanOrEqual(max);
				if (characterCount(text) <= max) expect(parts).toEqual([text]);
				else if (characterCount(text.trim()) <= max) expect(parts).toEqual([text.trim()]);
				else expect(parts).toEqual(splitNumbered(text, max));
			},
			1000,
		);
	});
});

describe('combineParts', () => {
	test('one item: the first part\'s id and fields, the last part\'s status, every id, summed counts', () => {
		const combined = combineParts([
			{ provider: 'ionSmsGateway', to: '+24106123456', messageId: '000001', status: 'pending', providerStatus: 'EN_ATTENTE', encoding: 'GSM-7', segments: 1, characters: 160 },
			{ provider: 'ionSmsGateway', to: '+24106123456', messageId: '000002', status: 'sent', providerStatus: 'ENVOYE', encoding: 'UCS-2', segments: 1, characters: 40 },
		]);
		expect(combined).toEqual({
			provider: 'ionSmsGateway',
			to: '+24106123456',
			messageId: '000001',
			status: 'sent',
			providerStatus: 'ENVOYE',
			encoding: 'UCS-2',
			segments: 2,
			characters: 200,
			parts: 2,
			messageIds: ['000001', '000002'],
		});
	});

	test('a part sent in several requests brings all its ids, in order', () => {
		const combined = combineParts([
			{ messageId: '000002', messageIds: ['000002', '000001'], status: 'pending', segments: 1, characters: 150 },
			{ messageId: '000003', status: 'pending', segments: 1, characters: 20 },
			{ messageId: '000005', messageIds: ['000005', '000004'], status: 'pending', segments: 1, characters: 20 },
		]);
		expect(combined).toMatchObject({ messageId: '000002', parts: 3, messageIds: ['000002', '000001', '000003', '000005', '000004'] });
	});
});
