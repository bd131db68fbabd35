/**
 * SMS text analysis: which alphabet a text needs (GSM-7 or UCS-2), how many
 * characters it has and how many SMS parts (segments) it takes.
 */

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface TextAnalysis {
	encoding: SmsEncoding;
	/** Characters as a person counts them (code points). */
	characters: number;
	/** Septets (GSM-7) or UTF-16 code units (UCS-2) the text occupies. */
	units: number;
	segments: number;
}

// GSM 03.38 basic character set (one septet each).
const GSM7_BASIC =
	'@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
	'¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
// Extension table: escape septet + character, so two septets each.
const GSM7_EXTENSION = '^{}\\[~]|€\f';

const basicSet = new Set(Array.from(GSM7_BASIC));
const extensionSet = new Set(Array.from(GSM7_EXTENSION));

const LIMITS: Record<SmsEncoding, { single: number; part: number }> = {
	'GSM-7': { single: 160, part: 153 },
	'UCS-2': { single: 70, part: 67 },
};

export function isGsm7Char(char: string): boolean {
	return basicSet.has(char) || extensionSet.has(char);
}

export function isGsm7Text(text: string): boolean {
	for (const char of text) if (!isGsm7Char(char)) return false;
	return true;
}

/** Units one character takes: extension characters and astral code points take two. */
function unitsOf(char: string, encoding: SmsEncoding): number {
	if (encoding === 'GSM-7') return extensionSet.has(char) ? 2 : 1;
	return char.length; // UTF-16 code units: 2 for surrogate pairs
}

/**
 * Counts segments the way handsets and SMSCs split: an escaped GSM character or
 * a surrogate pair is never cut across two parts.
 */
export function analyzeText(text: string): TextAnalysis {
	// A bulk sends one text to every item: counted once.
	if (text !== lastAnalysis.text) lastAnalysis = { text, analysis: Object.freeze(countSegments(text)) };
	return lastAnalysis.analysis;
}

let lastAnalysis: { text: string | undefined; analysis: TextAnalysis } = { text: undefined, analysis: { encoding: 'GSM-7', characters: 0, units: 0, segments: 0 } };

function countSegments(text: string): TextAnalysis {
	const encoding: SmsEncoding = isGsm7Text(text) ? 'GSM-7' : 'UCS-2';
	const chars = Array.from(text);
	let units = 0;
	for (const char of chars) units += unitsOf(char, encoding);

	const { single, part } = LIMITS[encoding];
	let segments: number;
	if (units === 0) segments = 0;
	else if (units <= single) segments = 1;
	else {
		segments = 1;
		let used = 0;
		for (const char of chars) {
			const size = unitsOf(char, encoding);
			if (used + size > part) {
				segments++;
				used = 0;
			}
			used += size;
		}
	}
	return { encoding, characters: chars.length, units, segments };
}

// Typographic characters of French text that are not in GSM-7, with the
// closest GSM-7 rendering. Accented letters that GSM-7 has (é è à ù ì ò É Ç)
// are kept as they are.
const TRANSLITERATIONS: Record<string, string> = {
	'’': "'",
	'‘': "'",
	'‚': "'",
	'‛': "'",
	'′': "'",
	'“': '"',
	'”': '"',
	'„': '"',
	'«': '"',
	'»': '"',
	'″': '"',
	'…': '...',
	'–': '-',
	'—': '-',
	'‐': '-',
	'‑': '-',
	'•': '-',
	'\u00a0': ' ',
	'\u202f': ' ',
	'\u2009': ' ',
	'\u2007': ' ',
	'\u200b': '',
	'\t': ' ',
	œ: 'oe',
	Œ: 'OE',
	â: 'a',
	ê: 'e',
	î: 'i',
	ô: 'o',
	û: 'u',
	ë: 'e',
	ï: 'i',
	ÿ: 'y',
	ç: 'c',
	á: 'a',
	í: 'i',
	ó: 'o',
	ú: 'u',
	ã: 'a',
	õ: 'o',
	À: 'A',
	Â: 'A',
	Á: 'A',
	Ã: 'A',
	È: 'E',
	Ê: 'E',
	Ë: 'E',
	Î: 'I',
	Ï: 'I',
	Í: 'I',
	Ì: 'I',
	Ô: 'O',
	Ó: 'O',
	Ò: 'O',
	Õ: 'O',
	Û: 'U',
	Ù: 'U',
	Ú: 'U',
	Ÿ: 'Y',
	'`': "'",
	'´': "'",
};

/**
 * Replaces characters that would force UCS-2 with GSM-7 look-alikes. Characters
 * with no sensible equivalent (emoji, other scripts) are left alone, so the text
 * then stays UCS-2 rather than losing meaning.
 */
export function transliterateToGsm7(text: string): string {
	let out = '';
	for (const char of text) {
		const replacement = TRANSLITERATIONS[char];
		out += replacement !== undefined ? replacement : char;
	}
	return out;
}
