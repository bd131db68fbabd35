/**
 * What only Orange does: the token n8n keeps in the credential (preAuthentication) and
 * renews when Orange refuses it, the policy errors of an account without a usable bundle,
 * and the Account resource. The behaviour every SMS node shares is in smsNode.behaviour.test.ts.
 */
import type { ICredentialDataDecryptedObject, IDataObject, INodeParameters } from 'n8n-workflow';
import { expectNoSecretIn } from '../helpers/secrets';
import { preAuthenticationCount, runAsText, runNode, type WorkflowResult } from '../helpers/n8n';
import { testProvider } from '../providers/registry';
import { useSimulators } from '../providers/useSimulators';
import type { OrangeSimulator } from '../sandbox/orange.simulator';

const provider = testProvider<OrangeSimulator>('orange');
const simulators = useSimulators([provider]);
const sim = () => simulators.sim<OrangeSimulator>('orange');

/** The credential as n8n's database holds it: one object, which preAuthentication updates, for several runs. */
const storedCredential = (): ICredentialDataDecryptedObject => ({ ...provider.credentials(sim()).orangeSmsApi });

async function run(credential: ICredentialDataDecryptedObject, items: IDataObject[], parameters: INodeParameters, continueOnFail = true): Promise<WorkflowResult> {
	const result = await runNode(items, { type: 'orangeSms', parameters, credentials: { orangeSmsApi: credential }, settings: { continueOnFail } });
	expectNoSecretIn(runAsText(result), [...provider.secrets(sim()), String(credential.clientSecret)]);
	return result;
}

const contractReads = () => sim().requests.filter((r) => r.path.startsWith('/sms/admin/v1/contracts')).length;
const people = (n: number) => Array.from({ length: n }, (_, i) => ({ phone: provider.phone(i) }));
const bulk: INodeParameters = { resource: 'sms', operation: 'sendBulk', sender: 'MYSHOP', phone: '={{ $json.phone }}', message: 'Votre code: 4821', options: { maxRequestsPerSecond: 0 } };

describe('the token', () => {
	test('n8n gets one token, keeps it in the credential, and the next executions use it', async () => {
		const credential = storedCredential();
		const before = preAuthenticationCount();
		for (let execution = 0; execution < 3; execution++) {
			const { outputs, error } = await run(credential, people(4), bulk);
			expect(error).toBeUndefined();
			expect(outputs[0].map((o) => o.json.status)).toEqual(Array(4).fill('accepted'));
		}
		expect(sim().tokensIssued).toBe(1);
		expect(preAuthenticationCount() - before).toBe(1);
		expect(credential.accessToken).toBe(sim().issuedTokens[0]);
		expect(sim().ledger).toHaveLength(12);
	});

	test('when Orange says the token expired (401, code 42), n8n gets a new one once and the refused requests go again: everyone gets one SMS', async () => {
		const credential = storedCredential();
		await run(credential, people(1), bulk);
		sim().expireTokens();
		sim().ledger.length = 0;
		const { outputs, error } = await run(credential, people(6), { ...bulk, options: { maxRequestsPerSecond: 0, maxConcurrentRequests: 3 } });
		expect(error).toBeUndefined();
		expect(outputs[0].map((o) => o.json.status)).toEqual(Array(6).fill('accepted'));
		expect(sim().tokensIssued).toBe(2);
		expect(credential.accessToken).toBe(sim().issuedTokens[1]);
		expect(new Set(sim().ledger.map((s) => s.to)).size).toBe(6);
		expect(sim().ledger).toHaveLength(6);
	});

	test('a wrong client secret: every item fails saying Orange refused the client, nothing is sent, the secret is nowhere', async () => {
		const credential = { ...storedCredential(), clientSecret: 'wrong+S3cret/=' };
		const { outputs } = await run(credential, people(2), bulk);
		expect(outputs[0].map((o) => o.json.status)).toEqual(['failed', 'failed']);
		expect(outputs[0][0].json.error).toMatch(/^Orange gave n8n no usable token for this credential: .*Orange refused the client ID and secret/);
		expect(sim().ledger).toHaveLength(0);
	});

	test('the ready-made Authorization Header works in place of the client ID and secret', async () => {
		const credential: ICredentialDataDecryptedObject = { authorizationHeader: sim().authorizationHeader.replace(/^Basic /, ''), senderAddress: sim().senderAddress, baseUrl: sim().baseUrl };
		const { outputs } = await run(credential, people(1), bulk);
		expect(outputs[0][0].json).toMatchObject({ provider: 'orange', status: 'accepted', to: provider.phone(0) });
		expect(sim().ledger).toHaveLength(1);
	});
});

describe('sends', () => {
	test('the message id is the last part of resourceURL; the Sender left empty takes the credential\'s Sender Name', async () => {
		const credential = { ...storedCredential(), senderName: 'My Shop' };
		const { outputs } = await run(credential, [{ to: '07 00 00 00 09' }], { resource: 'sms', operation: 'send', sender: '', to: '={{ $json.to }}', message: 'Bonjour' });
		expect(outputs[0][0].json).toMatchObject({ status: 'accepted', messageId: sim().ledger[0].id, to: '+2250700000009' });
		expect(sim().ledger[0]).toMatchObject({ senderName: 'My Shop', shownSenderName: 'My Shop' });
	});

	test("an expired bundle: each item fails with Orange's words, the bundle's country and expiry day (one read of the contracts), and what to do", async () => {
		const credential = storedCredential();
		await run(credential, people(1), bulk);
		const expired = sim().expireContract('CIV');
		const before = contractReads();
		const { outputs } = await run(credential, people(3), bulk);
		expect(outputs[0].map((o) => o.json.status)).toEqual(['failed', 'failed', 'failed']);
		for (const { json } of outputs[0]) {
			expect(json.error).toMatch(/Orange refused the SMS \(POL0001: .*Expired contract\)/);
			expect(json.error).toContain(`The Orange SMS bundle for CIV expired on ${expired.expirationDate.slice(0, 10)}: buy one in the Orange Developer portal`);
			expect(json.httpStatus).toBe(403);
		}
		expect(contractReads() - before).toBe(1);
	});

	test('a bundle with no units left, and a country without a bundle, are named as such', async () => {
		const credential = storedCredential();
		sim().setUnits('CIV', 0);
		const empty = await run(credential, people(1), bulk);
		expect(empty.outputs[0][0].json.error).toMatch(/POL0001[\s\S]*The Orange SMS bundle for CIV has no units left: buy one/);
		sim().contracts.splice(0);
		const none = await run(credential, people(1), bulk);
		expect(none.outputs[0][0].json.error).toMatch(/Your Orange account has no SMS bundle for CIV: buy one/);
	});

	test("at Orange's pace by default (5 a second): 12 SMS, each once; a 429 at the window's edge waits and goes again", async () => {
		sim().rateLimitPerSecond = 5;
		const started = Date.now();
		const { outputs } = await run(storedCredential(), people(12), { ...bulk, options: {} });
		expect(outputs[0].map((o) => o.json.status)).toEqual(Array(12).fill('accepted'));
		expect(sim().ledger.map((s) => s.to).sort()).toEqual(people(12).map((p) => p.phone).sort());
		// Paced, not sent at once: 12 requests at 5 a second take over 2 s.
		expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
	});
});

describe('Check Balance First', () => {
	test("the contract of the sender number's country is read first: too few units, or an expired bundle, and nothing is sent", async () => {
		const credential = storedCredential();
		const checked = { ...bulk, options: { ...(bulk.options as IDataObject), checkBalance: true } };
		sim().setUnits('CIV', 2);
		const short = await run(credential, people(3), checked, false);
		expect(short.error?.message).toBe('Orange reports 2 SMS units for CIV left; this run needs 3 SMS segments: nothing was sent');
		expect(sim().ledger).toEqual([]);
		sim().setUnits('CIV', 3);
		const enough = await run(credential, people(3), checked, false);
		expect(enough.outputs[0].map((o) => o.json.status)).toEqual(['accepted', 'accepted', 'accepted']);
		sim().setUnits('CIV', 50);
		sim().expireContract('CIV');
		const expired = await run(credential, people(1), checked, false);
		expect(expired.error?.message).toBe('Orange reports 0 SMS units for CIV left; this run needs 1 SMS segment: nothing was sent');
	});
});

describe('account', () => {
	test('Get Balance: one item per contract, filtered by country', async () => {
		sim().setUnits('SEN', 40);
		const all = await run(storedCredential(), [{}], { resource: 'account', operation: 'getBalance' });
		expect(all.outputs[0].map((o) => [o.json.country, o.json.availableUnits, o.json.status])).toEqual(expect.arrayContaining([['CIV', 10_000_000, 'ACTIVE'], ['SEN', 40, 'ACTIVE']]));
		const one = await run(storedCredential(), [{}], { resource: 'account', operation: 'getBalance', country: 'SEN' });
		expect(one.outputs[0].map((o) => o.json.country)).toEqual(['SEN']);
		expect(one.outputs[0][0].pairedItem).toEqual({ item: 0 });
	});

	test('Get Usage counts what was sent; Get Purchases lists the bundles', async () => {
		const credential = storedCredential();
		await run(credential, people(3), bulk);
		const usage = await run(credential, [{}], { resource: 'account', operation: 'getUsage', country: 'CIV' });
		expect(usage.outputs[0].reduce((n, o) => n + Number(o.json.usage), 0)).toBe(3);
		const purchases = await run(credential, [{}], { resource: 'account', operation: 'getPurchases' });
		expect(purchases.outputs[0].length).toBeGreaterThan(0);
		expect(purchases.outputs[0][0].json).toHaveProperty('bundleDescription');
	});
});
