import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { assertCountry } from './phone';
import type { ProviderCredentials } from './provider';

/** `baseUrl` with exactly one trailing slash, so that "…/sms" and "…/sms/" work the same. */
export function normalizeBaseUrl(value: unknown): string {
	const text = typeof value === 'string' ? value.trim() : '';
	if (!text) throw new Error('the Base URL is empty');
	let url: URL;
	try {
		url = new URL(text);
	} catch {
		throw new Error(`the Base URL "${text}" is not a URL`);
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`the Base URL "${text}" must start with https:// or http://`);
	return `${text.replace(/\/+$/, '')}/`;
}

/** Base URL plus a relative path (`push`, `unides`); an empty path is the base itself. */
export function endpoint(baseUrl: string, path = ''): string {
	return `${baseUrl}${path.replace(/^\/+/, '')}`;
}

/**
 * Reads the fields every provider credential has (baseUrl, defaultCountry) and
 * the provider's own, checking that the secret ones are present. Values are
 * trimmed, but those named in `asTyped` (a password may hold spaces).
 */
export function readProviderCredentials(raw: IDataObject, secretFields: string[], otherFields: string[] = [], asTyped: string[] = []): ProviderCredentials {
	const fields: Record<string, string> = {};
	for (const name of [...secretFields, ...otherFields]) {
		const value = raw[name];
		const text = typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
		fields[name] = asTyped.includes(name) ? text : text.trim();
	}
	for (const name of secretFields) if (!fields[name]) throw new Error(`the field "${name}" is empty`);
	return {
		baseUrl: normalizeBaseUrl(raw.baseUrl),
		defaultCountry: assertCountry(String(raw.defaultCountry ?? '')),
		// Frozen: redact() works out each list's forms once (nodes/shared/redact.ts).
		secrets: Object.freeze(secretFields.map((name) => fields[name]).filter(Boolean)) as string[],
		fields,
	};
}

export function baseUrlProperty(defaultUrl: string): INodeProperties {
	return {
		displayName: 'Base URL',
		name: 'baseUrl',
		type: 'string',
		default: defaultUrl,
		required: true,
		description: 'Change only to use the local sandbox, a test environment or a proxy',
	};
}

export function defaultCountryProperty(country: string): INodeProperties {
	return {
		displayName: 'Default Country',
		name: 'defaultCountry',
		type: 'string',
		default: country,
		required: true,
		placeholder: country,
		description: 'ISO 3166 alpha-2 code of the country of numbers written without a country code, such as CG, CM, CI or GA',
	};
}

/** A secret field (API key, password): hidden as typed, required. */
export function secretProperty(displayName: string, name: string, description: string): INodeProperties {
	return { displayName, name, type: 'string', typeOptions: { password: true }, default: '', required: true, description };
}
