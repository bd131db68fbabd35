import { z } from 'zod';
import { parseAnswer, preview } from '../shared/answers';
import { endpoint, readProviderCredentials } from '../shared/credentials';
import { ambiguousStatus, notAcceptedWords, ProviderError, type ProviderCredentials, type SendJob, type SmsProvider } from '../shared/provider';
import { analyzeText } from '../shared/text';
import type { HttpRequest, HttpResponse } from '../shared/transport';
import { AUTH_FAILURE_PATTERN, CREDENTIAL_TEST_FIELDS, PHONE_ERROR_PATTERN, SUCCESS_STATUS } from './assumptions';

const NAME = 'LMT BulkSMS';
const EXPECTED = '{"status": "success" | "error", "message": "…"}';

/** LMT's answer. `errros` is the provider's own spelling; `errors` is accepted too. */
const answer = z
	.object({
		status: z.string(),
		message: z.string().optional(),
		errros: z.union([z.array(z.unknown()), z.string()]).optional(),
		errors: z.union([z.array(z.unknown()), z.string()]).optional(),
	})
	.passthrough();
type LmtAnswer = z.infer<typeof answer>;

/** The field errors LMT listed, as text. */
export function listedErrors(body: LmtAnswer): string[] {
	const raw = body.errros ?? body.errors;
	if (raw === undefined) return [];
	return (Array.isArray(raw) ? raw : [raw]).map((e) => (typeof e === 'string' ? e : JSON.stringify(e))).filter(Boolean);
}

/** "invalid paramerters: phone is invalid", LMT's words as given. */
function lmtWords(body: LmtAnswer): string {
	const errors = listedErrors(body);
	return [body.message, errors.join('; ')].filter(Boolean).join(': ') || body.status;
}

export function isAuthFailure(body: LmtAnswer): boolean {
	return [body.message ?? '', ...listedErrors(body)].some((text) => AUTH_FAILURE_PATTERN.test(text));
}

function hintFor(body: LmtAnswer): string | undefined {
	if (isAuthFailure(body)) {
		return 'Check the API key (BulkSMS → Mon compte → Profil → "Clé d\'API") and the password (the one you log in to BulkSMS with) in the LMT BulkSMS credential.';
	}
	if (listedErrors(body).some((e) => PHONE_ERROR_PATTERN.test(e))) {
		return 'LMT BulkSMS takes Cameroon numbers: 237 followed by 9 digits, mobile numbers starting with 6.';
	}
	return undefined;
}

/**
 * LMT's answer read, refusals thrown with LMT's own words. LMT answers HTTP 200
 * for its errors too, so the body's `status` decides; a non-2xx status is a
 * failure whatever the body says.
 */
function readAnswer(response: HttpResponse): LmtAnswer {
	let body: LmtAnswer;
	try {
		body = parseAnswer(NAME, response, answer, EXPECTED);
	} catch (error) {
		if (response.status >= 400) {
			throw new ProviderError(`${NAME} answered HTTP ${response.status}: ${preview(response.text)}`, { httpStatus: response.status, providerStatus: String(response.status) });
		}
		throw error;
	}
	const ok = response.status >= 200 && response.status < 300 && body.status === SUCCESS_STATUS;
	if (!ok) {
		const httpNote = response.status >= 200 && response.status < 300 ? '' : ` (HTTP ${response.status})`;
		const head = ambiguousStatus(response.status) ? notAcceptedWords(NAME, 'the SMS', response.status) : `${NAME} refused the SMS${httpNote}`;
		throw new ProviderError(`${head}: ${lmtWords(body)}`, {
			httpStatus: response.status,
			providerStatus: body.status,
			hint: hintFor(body),
		});
	}
	return body;
}

/** Every LMT call: `POST <baseUrl>push`, form-encoded, the key and the password in the body. */
function pushRequest(credentials: ProviderCredentials, fields: Record<string, string>): HttpRequest {
	const { apiKey, password } = credentials.fields;
	return { method: 'POST', url: endpoint(credentials.baseUrl, 'push'), form: { api_key: apiKey, password, ...fields } };
}

/** `long_sms` when the text takes more than one SMS part (GSM-7 over 160, UCS-2 over 70). */
export function flagFor(text: string): 'short_sms' | 'long_sms' {
	return analyzeText(text).segments > 1 ? 'long_sms' : 'short_sms';
}

export const lmtGroupProvider: SmsProvider = {
	id: 'lmtGroup',
	name: NAME,
	credentialType: 'lmtBulkSmsApi',
	phoneFormat: 'digits',
	// One `phone` per push: a bulk send is one request per recipient.
	maxRecipientsPerRequest: 1,
	maxPlaceholders: 5,
	// No templates: the engine fills :P1 … :P5 and sends each text on its own.
	nativePersonalization: false,

	// The password is kept exactly as typed: spaces may be part of it.
	readCredentials: (raw) => readProviderCredentials(raw, ['apiKey', 'password'], [], ['password']),

	buildSend(job: SendJob, credentials) {
		return pushRequest(credentials, {
			message: job.text,
			sender: job.sender,
			phone: job.recipients[0].to,
			flag: flagFor(job.text),
		});
	},

	parseSend(response) {
		const body = readAnswer(response);
		return { status: 'accepted', messageId: null, providerStatus: lmtWords(body) };
	},

	credentialTest: {
		build: (credentials) => pushRequest(credentials, CREDENTIAL_TEST_FIELDS),
		judge(response) {
			let body: LmtAnswer;
			try {
				body = parseAnswer(NAME, response, answer, EXPECTED);
			} catch {
				throw new ProviderError(`${NAME} answered HTTP ${response.status} with something other than its JSON: ${preview(response.text)}. Check the Base URL.`);
			}
			if (response.status === 401 || response.status === 403 || isAuthFailure(body)) {
				throw new ProviderError(`${NAME} refused the API key or the password: ${lmtWords(body)}`);
			}
			if (response.status >= 300) throw new ProviderError(`${NAME} answered HTTP ${response.status}: ${lmtWords(body)}`);
			// Good credentials: LMT only complains about the empty message, sender and phone.
		},
	},
};
