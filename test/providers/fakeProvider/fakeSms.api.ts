import { z } from 'zod';
import { parseAnswer, preview } from '../../../nodes/shared/answers';
import { endpoint, readProviderCredentials } from '../../../nodes/shared/credentials';
import { ambiguousStatus, notAcceptedWords, ProviderError, type SmsProvider } from '../../../nodes/shared/provider';
import { FAKE_MAX_RECIPIENTS } from './fakeSms.simulator';

const NAME = 'Fake SMS';

const accepted = z.object({ id: z.string(), accepted: z.number() });
const refused = z.object({ error: z.string(), number: z.string().optional() });

/** The test-only provider's side of the seam: built on the shared parts as a provider folder is. */
export const fakeSmsProvider: SmsProvider = {
	id: 'fakeSms',
	name: NAME,
	credentialType: 'fakeSmsApi',
	phoneFormat: 'digits',
	maxRecipientsPerRequest: FAKE_MAX_RECIPIENTS,
	maxSenderLength: 11,
	maxPlaceholders: 3,
	nativePersonalization: false,

	readCredentials: (raw) => readProviderCredentials(raw, ['apiKey']),

	buildSend: (job, credentials) => ({
		method: 'POST',
		url: endpoint(credentials.baseUrl, 'messages'),
		headers: { authorization: `Bearer ${credentials.fields.apiKey}` },
		json: { from: job.sender, to: job.recipients.map((r) => r.to), text: job.text },
	}),

	parseSend(response) {
		if (response.status >= 200 && response.status < 300) {
			const body = parseAnswer(NAME, response, accepted, '{"id", "accepted"}');
			return { status: 'accepted', messageId: body.id, providerStatus: 'accepted' };
		}
		const parsed = refused.safeParse(safeJson(response.text));
		const words = parsed.success ? parsed.data.error : preview(response.text);
		const head = ambiguousStatus(response.status) ? notAcceptedWords(NAME, 'the request', response.status) : `${NAME} refused the request (HTTP ${response.status})`;
		const number = parsed.success ? parsed.data.number : undefined;
		throw new ProviderError(`${head}: ${words}${number ? ` ${number}` : ''}`, {
			httpStatus: response.status,
			providerStatus: String(response.status),
			...(number ? { rejectedRecipients: [number] } : {}),
			...(response.status === 401 ? { hint: 'Check the API key in the Fake SMS credential.' } : {}),
		});
	},
};

function safeJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}
