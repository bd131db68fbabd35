/** The four providers as the fault matrix drives them: simulator, credential, numbers, operations. */
import { IonSmsGatewaySimulator } from '../sandbox/ionSmsGateway.simulator';
import { LmtGroupSimulator } from '../sandbox/lmtGroup.simulator';
import { MonSmsProSimulator } from '../sandbox/monSmsPro.simulator';
import { MtnCongoSimulator } from '../sandbox/mtnCongo.simulator';
import type { OperationSpec, ProviderSpec } from './matrix';

const DAY_MS = 86_400_000;
/** Tomorrow at 10:00 UTC: in the future, on Mon SMS PRO's quarter-hour grid. */
const tomorrowAtTen = () => `${new Date(Date.now() + DAY_MS).toISOString().slice(0, 10)}T10:00:00Z`;
const perItem = (n: number) => n;
const chunked = (size: number) => (n: number) => Math.ceil(n / size);

function operations(sender: string, batch: { bulk: (n: number) => number; personalized: (n: number) => number }, scheduled: boolean): OperationSpec[] {
	const ops: OperationSpec[] = [
		{ operation: 'send', parameters: { operation: 'send', sender, to: '={{ $json.phone }}', message: 'Votre commande est en route' }, requests: perItem },
		{ operation: 'sendBulk', parameters: { operation: 'sendBulk', sender, phone: '={{ $json.phone }}', message: 'Promo -20% ce week-end' }, requests: batch.bulk },
		{
			operation: 'sendPersonalized',
			parameters: { operation: 'sendPersonalized', sender, phone: '={{ $json.phone }}', message: 'Bonjour :P1, votre avoir vous attend', p1: '={{ $json.name }}' },
			requests: batch.personalized,
		},
	];
	if (scheduled) {
		ops.push({
			operation: 'sendScheduled',
			parameters: { operation: 'sendScheduled', sender, to: '={{ $json.phone }}', message: 'Rappel: rendez-vous demain', sendAt: tomorrowAtTen() },
			requests: perItem,
		});
	}
	return ops;
}

const MTN_TOKEN = 'mtn-fault-token+4f8a/2c=';
export const mtnCongo: ProviderSpec = {
	label: 'MTN Congo',
	nodeType: 'mtnCongoSms',
	createSimulator: () => new MtnCongoSimulator({ token: MTN_TOKEN }),
	credentials: (sim) => ({ mtnCongoSmsApi: { token: MTN_TOKEN, baseUrl: sim.baseUrl, defaultCountry: 'CG' } }),
	secrets: () => [MTN_TOKEN],
	phone: (i) => `+24206${String(i).padStart(7, '0')}`,
	isSend: () => true,
	errorBody200: { status: '400', resultat: 'Sender non autorisé' },
	// MTN fills the template itself: one request per 1000 recipients, as for bulk.
	operations: operations('BES', { bulk: chunked(1000), personalized: chunked(1000) }, true),
};

const LMT_KEY = 'lmt-fault-key+0123/456=';
const LMT_PASSWORD = 'S&ndbox =pass+#%20 word';
export const lmtGroup: ProviderSpec = {
	label: 'LMT BulkSMS',
	nodeType: 'lmtBulkSms',
	createSimulator: () => new LmtGroupSimulator({ apiKey: LMT_KEY, password: LMT_PASSWORD }),
	credentials: (sim) => ({ lmtBulkSmsApi: { apiKey: LMT_KEY, password: LMT_PASSWORD, baseUrl: sim.baseUrl, defaultCountry: 'CM' } }),
	secrets: () => [LMT_KEY, LMT_PASSWORD],
	phone: (i) => `+237677${String(i).padStart(6, '0')}`,
	isSend: (req) => req.path.endsWith('/push'),
	errorBody200: { status: 'error', message: 'invalid parameters', errros: ['sender is invalid'] },
	// One number per request; LMT cannot schedule.
	operations: operations('BOUTIQUE', { bulk: perItem, personalized: perItem }, false),
};

const ION_KEY = 'ion-fault-key+77/aa=';
export const ionSmsGateway: ProviderSpec = {
	label: 'ION SMS Gateway',
	nodeType: 'ionSmsGateway',
	createSimulator: () => new IonSmsGatewaySimulator({ apiKey: ION_KEY }),
	credentials: (sim) => ({ ionSmsGatewayApi: { apiKey: ION_KEY, baseUrl: sim.baseUrl, defaultCountry: 'GA' } }),
	secrets: () => [ION_KEY],
	phone: (i) => `+241061${String(i).padStart(5, '0')}`,
	isSend: (req) => /\/(unides|muldes|muldesp)$/.test(req.path),
	errorBody200: { error: 'Erreur: requête refusée' },
	// Personalised texts differ per name: one request each.
	operations: operations('ION', { bulk: chunked(1000), personalized: perItem }, true),
};

const MSP_KEY = 'msp-fault-k3y+CI/2026=';
export const monSmsPro: ProviderSpec = {
	label: 'Mon SMS PRO',
	nodeType: 'monSmsPro',
	createSimulator: () => new MonSmsProSimulator({ apiKey: MSP_KEY, credit: 10_000_000 }),
	credentials: (sim) => ({ monSmsProApi: { apiKey: MSP_KEY, baseUrl: sim.baseUrl, defaultCountry: 'CI' } }),
	secrets: () => [MSP_KEY],
	phone: (i) => `+22507${String(i).padStart(8, '0')}`,
	isSend: (req) => req.path.endsWith('/campaign/create'),
	errorBody200: { success: false, data: null, error: 'sender-not-found' },
	operations: operations('MONSMSPRO', { bulk: chunked(1000), personalized: perItem }, true).map((op) => ({
		...op,
		parameters: { resource: 'campaign', ...op.parameters },
	})),
};

export const PROVIDERS = { mtnCongo, lmtGroup, ionSmsGateway, monSmsPro };
