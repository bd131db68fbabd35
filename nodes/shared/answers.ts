import type { z } from 'zod';
import { ProviderError } from './provider';
import type { HttpResponse } from './transport';

const PREVIEW = 200;

export function preview(text: string): string {
	const flat = text.replace(/\s+/g, ' ').trim();
	return flat.length > PREVIEW ? `${flat.slice(0, PREVIEW)}…` : flat || '(empty body)';
}

/**
 * Reads a JSON answer and checks it against the schema. An answer that is not
 * JSON, or not of the expected shape, becomes a ProviderError that says what
 * came back and what was expected.
 */
export function parseAnswer<S extends z.ZodTypeAny>(
	provider: string,
	response: HttpResponse,
	schema: S,
	expected: string,
): z.infer<S> {
	let body: unknown;
	try {
		body = JSON.parse(response.text);
	} catch {
		throw new ProviderError(
			`${provider} answered HTTP ${response.status} with something that is not JSON: ${preview(response.text)}`,
			{
				httpStatus: response.status,
				hint: 'The provider may be down or the Base URL in the credential may point to the wrong place.',
				ambiguous: response.status < 400 ? true : undefined,
			},
		);
	}
	const result = schema.safeParse(body);
	if (!result.success) {
		const problems = result.error.issues
			.slice(0, 3)
			.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
			.join('; ');
		throw new ProviderError(
			`${provider} answered HTTP ${response.status} with an unexpected shape (expected ${expected}; ${problems}): ${preview(response.text)}`,
			{ httpStatus: response.status, ambiguous: response.status < 400 ? true : undefined },
		);
	}
	return result.data;
}
