import type { IDataObject } from 'n8n-workflow';
import { CALLBACK_FIELDS } from './assumptions';
import { describeMtnCode, splitStatusLine } from './mtnCongo.api';

export interface CallbackStatus {
	messageId: string | null;
	externalId: string | number | null;
	to: string | null;
	status: string | null;
	providerStatus: string | null;
	providerCode: number | null;
	receivedAt: string;
	raw: unknown;
	warning?: string;
}

function pick(source: IDataObject, names: string[]): unknown {
	for (const name of names) {
		const value = source[name];
		if (value !== undefined && value !== null && value !== '') return value;
	}
	return undefined;
}

const text = (v: unknown): string | null => (v === undefined || v === null || v === '' ? null : String(v));

function scalarId(v: unknown): string | number | null {
	if (typeof v === 'number') return v;
	if (typeof v === 'string' && v.trim()) return /^\d+$/.test(v.trim()) ? Number(v.trim()) : v.trim();
	return null;
}

function fromLine(line: string, envelope: IDataObject, receivedAt: string, raw: unknown): CallbackStatus {
	const { number, code, label } = splitStatusLine(line);
	return {
		messageId: text(pick(envelope, CALLBACK_FIELDS.messageId)),
		externalId: scalarId(pick(envelope, CALLBACK_FIELDS.externalId)),
		to: number || null,
		...describeMtnCode(code || null, label || null),
		receivedAt,
		raw,
	};
}

function fromFlat(entry: IDataObject, envelope: IDataObject, receivedAt: string, raw: unknown): CallbackStatus {
	const described = describeMtnCode(text(pick(entry, CALLBACK_FIELDS.code)), text(pick(entry, CALLBACK_FIELDS.label)));
	return {
		messageId: text(pick(entry, CALLBACK_FIELDS.messageId) ?? pick(envelope, CALLBACK_FIELDS.messageId)),
		externalId: scalarId(pick(entry, CALLBACK_FIELDS.externalId) ?? pick(envelope, CALLBACK_FIELDS.externalId)),
		to: text(pick(entry, CALLBACK_FIELDS.number)),
		...described,
		receivedAt,
		raw,
		...(described.status === null ? { warning: 'No numeric MTN status code found in the callback; see raw' } : {}),
	};
}

function splitLines(value: unknown): string[] | undefined {
	if (Array.isArray(value)) return value.map(String);
	if (typeof value === 'string' && /^\s*\+?\d+\s*,\s*\d+/.test(value)) return value.split(/\r?\n|;(?=\s*\+?\d+\s*,)/).filter((l) => l.trim());
	return undefined;
}

/**
 * Turns what MTN posted to a callback_url into one status per recipient.
 * Nothing documents the payload, so both the status answer's shape and a flat
 * per-recipient shape (alone, in a list, or under `data`/`results`) are read;
 * the raw payload is kept on every item.
 */
export function parseCallback(payload: unknown, receivedAt: string): CallbackStatus[] {
	const raw = payload;
	const body: unknown = payload && typeof payload === 'object' && !Array.isArray(payload) ? payload : { value: payload };
	const envelope = body as IDataObject;
	const inner = envelope.data ?? envelope.results ?? envelope.statuses;

	const lines = splitLines(envelope.resultat);
	if (lines) return lines.map((line) => fromLine(line, envelope, receivedAt, raw));

	const list = Array.isArray(payload) ? payload : Array.isArray(inner) ? inner : inner && typeof inner === 'object' ? [inner] : undefined;
	if (list) {
		return list.map((entry) =>
			typeof entry === 'string' ? fromLine(entry, envelope, receivedAt, raw) : fromFlat((entry ?? {}) as IDataObject, envelope, receivedAt, raw),
		);
	}
	return [fromFlat(envelope, envelope, receivedAt, raw)];
}
