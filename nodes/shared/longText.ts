/**
 * Texts longer than a provider takes in one SMS, for providers that refuse them
 * instead of sending them in parts: refuse before sending, with what to do, or
 * (when the user opts in) cut the text into numbered SMS "(1/3) …".
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { analyzeText, transliterateToGsm7, type TextAnalysis } from './text';

export const SPLIT_OPTION = 'splitLongText';

/** Characters as a person counts them (code points). */
export function characterCount(text: string): number {
	return Array.from(text).length;
}

/** The node option that turns the refusal of a long text into numbered SMS. */
export function splitLongTextOption(maxCharacters: number, providerName: string, operations: string[]): INodeProperties {
	return {
		displayName: 'Split Long Text Into Numbered SMS',
		name: SPLIT_OPTION,
		type: 'boolean',
		default: false,
		displayOptions: { show: { '/operation': operations } },
		description: `Whether to send a text longer than ${maxCharacters} characters as several SMS numbered "(1/2) …", each within ${providerName}'s limit, sent in order and reported on one output item. Off: such a text fails its item before anything is sent.`,
	};
}

export class TextTooLong extends Error {
	constructor(
		message: string,
		readonly description: string,
	) {
		super(message);
	}
}

/**
 * The SMS to send for a text: itself when it fits, its numbered parts when the
 * user allows splitting; otherwise a TextTooLong that gives the length, the limit
 * and what would help.
 */
export function fitText(
	text: string,
	limit: {
		maxCharacters: number;
		providerName: string;
		split: boolean;
		transliterated: boolean;
		field: string;
		/** Why this send cannot be split (a scheduled send): the advice then leaves splitting out. */
		noSplitBecause?: string;
	},
): string[] {
	const count = characterCount(text);
	if (count <= limit.maxCharacters) return [text];
	// Spaces around a text are not worth an SMS, nor a refusal.
	const trimmed = text.trim();
	if (characterCount(trimmed) <= limit.maxCharacters) return [trimmed];
	const { maxCharacters, providerName, noSplitBecause } = limit;
	if (limit.split && !noSplitBecause) return splitNumbered(text, maxCharacters);
	const advice = [
		noSplitBecause
			? `Shorten it to ${maxCharacters} characters: ${noSplitBecause}.`
			: `Shorten it, or turn on the option 'Split Long Text Into Numbered SMS' to send it as ${splitNumbered(text, maxCharacters).length} numbered SMS.`,
	];
	if (!limit.transliterated && analyzeText(text).encoding === 'UCS-2') {
		const plain = transliterateToGsm7(text).trim();
		if (characterCount(plain) <= maxCharacters) {
			advice.unshift(`Turning on 'Transliterate to GSM-7' brings it to ${characterCount(plain)} characters, within the limit.`);
		} else if (!noSplitBecause && analyzeText(plain).encoding === 'GSM-7') {
			advice.push(`With 'Transliterate to GSM-7' as well, each part is a plain GSM-7 SMS (160 characters) instead of several Unicode ones (70).`);
		}
	}
	return fail(`The ${limit.field} has ${count} characters; ${providerName} takes at most ${maxCharacters} in one SMS and does not join longer texts`, advice.join(' '));
}

function fail(message: string, description: string): never {
	throw new TextTooLong(message, description);
}

/**
 * Cuts a text into parts "(i/n) …" of at most `max` characters, at a space where
 * one is near the end of a part, in the text's order.
 */
export function splitNumbered(text: string, max: number): string[] {
	const chars = Array.from(text.trim());
	// The prefix's width depends on the number of parts: grow the guess until it holds.
	for (let guess = 2; ; guess++) {
		const room = max - `(${guess}/${guess}) `.length;
		if (room < 1) throw new Error(`a limit of ${max} characters leaves no room for numbered parts`);
		const chunks = cut(chars, room);
		if (chunks.length <= guess) return chunks.map((c, i) => `(${i + 1}/${chunks.length}) ${c}`);
	}
}

/** Where a line may break: not at no-break spaces (French puts them before ! ? : ; »). */
const BREAK = /[ \t\r\n]/;

function cut(chars: string[], room: number): string[] {
	const chunks: string[] = [];
	let start = 0;
	while (start < chars.length) {
		let end = Math.min(start + room, chars.length);
		if (end < chars.length) {
			// Break after the last space of the part's second half; a long word is cut where it must.
			for (let i = end; i > start + room / 2; i--) {
				if (BREAK.test(chars[i])) {
					end = i;
					break;
				}
			}
		}
		const piece = chars.slice(start, end).join('').trim();
		if (piece) chunks.push(piece);
		start = end;
		while (start < chars.length && BREAK.test(chars[start])) start++;
	}
	return chunks;
}

/** One output item for a text sent as numbered parts: the first part's id, every part's id, the last part's status. */
export function combineParts(outputs: IDataObject[]): IDataObject {
	const first = outputs[0];
	const last = outputs[outputs.length - 1];
	const sum = (field: string) => outputs.reduce((total, o) => total + Number(o[field] ?? 0), 0);
	return {
		...first,
		status: last.status,
		providerStatus: last.providerStatus,
		encoding: outputs.some((o) => o.encoding === 'UCS-2') ? 'UCS-2' : 'GSM-7',
		segments: sum('segments'),
		characters: sum('characters'),
		parts: outputs.length,
		// A part sent in several requests (many numbers) has several ids of its own.
		messageIds: outputs.flatMap((o) => (Array.isArray(o.messageIds) ? o.messageIds : [o.messageId])),
	};
}

/** The SMS segments a text goes as: its own (`whole`, already counted), or the sum of its numbered parts'. */
export function segmentsOfParts(parts: readonly string[], whole: TextAnalysis): number {
	return parts.length === 1 ? whole.segments : parts.reduce((sum, part) => sum + analyzeText(part).segments, 0);
}
