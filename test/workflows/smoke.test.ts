import { closeTransportPools } from '../../nodes/shared/transport';
import { MtnCongoSimulator } from '../sandbox/mtnCongo.simulator';
import { runNode } from '../helpers/n8n';

let sim: MtnCongoSimulator;
beforeAll(async () => {
	sim = await new MtnCongoSimulator().start();
});
afterAll(async () => {
	await sim.stop();
	await closeTransportPools();
});

test('smoke', async () => {
	const result = await runNode([{ phone: '068463499', name: 'Brel' }], {
		type: 'mtnCongoSms',
		parameters: { operation: 'send', sender: 'BES', to: '={{ $json.phone }}', message: '=Bonjour {{ $json.name }}' },
		credentials: { mtnCongoSmsApi: { token: sim.token, baseUrl: sim.baseUrl, defaultCountry: 'CG' } },
	});
	console.log(JSON.stringify(result.outputs, null, 1), result.error);
	console.log(sim.ledger);
});
