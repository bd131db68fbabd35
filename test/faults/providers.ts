/** The providers as the fault matrix drives them, from the test registry: simulator, credential, numbers, operations. */
import { productProviders, type TestProvider } from '../providers/registry';
import type { OperationSpec, ProviderSpec } from './matrix';

const DAY_MS = 86_400_000;
/** Tomorrow at 10:00 UTC: in the future, on Mon SMS PRO's quarter-hour grid. */
const tomorrowAtTen = () => `${new Date(Date.now() + DAY_MS).toISOString().slice(0, 10)}T10:00:00Z`;

/**
 * The sending operations the node offers, each with the send requests it makes for n
 * items of one number each (personalised texts differ by name): one per item, or one per
 * batch where one request carries several recipients, and the template is the same
 * for all where the provider fills it itself.
 */
function operationsOf(provider: TestProvider): OperationSpec[] {
	const { sms, sender } = provider;
	const batches = (n: number) => Math.ceil(n / sms.maxRecipientsPerRequest);
	const perItem = (n: number) => n;
	const all: OperationSpec[] = [
		{ operation: 'send', parameters: { operation: 'send', sender, to: '={{ $json.phone }}', message: 'Votre commande est en route' }, requests: perItem },
		{ operation: 'sendBulk', parameters: { operation: 'sendBulk', sender, phone: '={{ $json.phone }}', message: 'Promo -20% ce week-end' }, requests: batches },
		{
			operation: 'sendPersonalized',
			parameters: { operation: 'sendPersonalized', sender, phone: '={{ $json.phone }}', message: 'Bonjour :P1, votre avoir vous attend', p1: '={{ $json.name }}' },
			requests: sms.nativePersonalization ? batches : perItem,
		},
		{
			operation: 'sendScheduled',
			parameters: { operation: 'sendScheduled', sender, to: '={{ $json.phone }}', message: 'Rappel: rendez-vous demain', sendAt: tomorrowAtTen() },
			requests: perItem,
		},
	];
	return all.filter((op) => provider.operations.includes(op.operation)).map((op) => ({ ...op, parameters: { ...provider.parameters, ...op.parameters } }));
}

function specOf(provider: TestProvider): ProviderSpec {
	return { ...provider, operations: operationsOf(provider) };
}

/** By provider id. */
export const PROVIDERS: Record<string, ProviderSpec> = Object.fromEntries(productProviders().map((p) => [p.id, specOf(p)]));
