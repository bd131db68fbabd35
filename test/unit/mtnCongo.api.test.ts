import {
	buildParamsCsv,
	mapMtnStatusCode,
	mtnCongoProvider,
	parseCredits,
	parseRejectedNumbers,
	parseStatusLine,
} from '../../nodes/MtnCongoSms/mtnCongo.api';
import { parseCallback } from '../../nodes/MtnCongoSms/mtnCongo.callback';
import { ProviderError, type SendJob } from '../../nodes/shared/provider';
import { formatAtOffset, toInstant } from '../../nodes/shared/time';
import { sendJob } from '../helpers/sendJob';

const job = (over: Partial<SendJob> = {}): SendJob => sendJob({ sender: 'BES', text: 'Hello', to: '242068463499' }, over);
const credentials = mtnCongoProvider.readCredentials({ token: 'tok-123456', baseUrl: 'http://127.0.0.1:1/api/sms', defaultCountry: 'CG' });

describe('params CSV of personalised sends', () => {
	test('reproduces the documented example exactly', () => {
		const csv = buildParamsCsv(
			job({
				operation: 'sendPersonalized',
				recipients: [
					{ to: '242064504545', itemIndex: 0, values: ['ASSEH', 'Brel'], email: 'info@besnode.com' },
					{ to: '242057360000', itemIndex: 1, values: ['MOTOKOUA', 'Hegel'], email: 'support@besnode.com' },
				],
			}),
		);
		expect(csv).toBe('ASSEH;Brel;info@besnode.com;242064504545\r\nMOTOKOUA;Hegel;support@besnode.com;242057360000');
	});

	test('without mail the phone follows the values', () => {
		expect(buildParamsCsv(job({ recipients: [{ to: '242064504545', itemIndex: 0, values: ['A', 'B', 'C'] }] }))).toBe('A;B;C;242064504545');
	});

	test('a value with ; or a line break is refused', () => {
		for (const bad of ['a;b', 'a\nb', 'a\r\nb']) {
			expect(() =>
				mtnCongoProvider.validateJob!(job({ operation: 'sendPersonalized', recipients: [{ to: '242064504545', itemIndex: 0, values: ['ok', bad] }] })),
			).toThrow(/P2/);
		}
	});
});

describe('requests', () => {
	test('send body and auth header', () => {
		const request = mtnCongoProvider.buildSend(
			job({
				recipients: [
					{ to: '242068463499', itemIndex: 0 },
					{ to: '242050010101', itemIndex: 0 },
				],
				options: { externalId: 10, callbackUrl: 'https://x.test/cb', email: 'a@b.c', mailSubject: 'S', mailBody: 'B' },
			}),
			credentials,
		);
		expect(request.url).toBe('http://127.0.0.1:1/api/sms/');
		expect(request.headers).toEqual({ authorization: 'Token tok-123456' });
		expect(request.json).toEqual({
			msg: 'Hello',
			sender: 'BES',
			receivers: '242068463499,242050010101',
			externalId: 10,
			callback_url: 'https://x.test/cb',
			email: 'a@b.c',
			objet_mail: 'S',
			msg_mail: 'B',
		});
	});

	test('date_envois is Congo time (UTC+1), documented format', () => {
		const request = mtnCongoProvider.buildSend(job({ sendAt: new Date('2026-12-01T08:30:00Z') }), credentials);
		expect((request.json as { date_envois: string }).date_envois).toBe('2026-12-01T09:30:00');
	});

	test('status request', () => {
		expect(mtnCongoProvider.buildStatus!('26', credentials).json).toEqual({ op: 'status', id: '26' });
	});
});

describe('answers', () => {
	const res = (status: number, body: unknown) => ({ status, headers: {}, text: typeof body === 'string' ? body : JSON.stringify(body) });

	test('success: string status, id, credits from the French text', () => {
		expect(mtnCongoProvider.parseSend(res(200, { resultat: 'envoyé (coût: 46 crédits)', status: '200', id: '10' }), job())).toEqual({
			status: 'accepted',
			messageId: '10',
			providerStatus: 'envoyé (coût: 46 crédits)',
			extra: { credits: 46 },
		});
		expect(mtnCongoProvider.parseSend(res(200, { resultat: 'envoyé', status: 200, id: 11 }), job({ sendAt: new Date() })).status).toBe('scheduled');
	});

	test('404 MSISDN error names the number', () => {
		const body = { resultat: 'Erreur MSISDN: 24206846349', detail: 'format numéro incorrect dans le paramètre receivers: 24206846349', status: '404' };
		let error: ProviderError | undefined;
		try {
			mtnCongoProvider.parseSend(res(404, body), job());
		} catch (e) {
			error = e as ProviderError;
		}
		expect(error).toBeInstanceOf(ProviderError);
		expect(error!.message).toContain('(404)');
		expect(error!.message).toContain('24206846349');
		expect(error!.details.rejectedRecipients).toEqual(['24206846349']);
	});

	test('body status wins over HTTP 200', () => {
		expect(() => mtnCongoProvider.parseSend(res(200, { resultat: 'Erreur', detail: 'sender inconnu', status: '400' }), job())).toThrow(/\(400\).*sender inconnu/);
	});

	test('a non-JSON answer says what came back', () => {
		expect(() => mtnCongoProvider.parseSend(res(200, '<html>oops</html>'), job())).toThrow(/HTTP 200 .*not JSON.*<html>oops/);
		expect(() => mtnCongoProvider.parseSend(res(502, '<html>bad gateway</html>'), job())).toThrow(/answered HTTP 502/);
	});

	test('an answer of the wrong shape says what was expected', () => {
		expect(() => mtnCongoProvider.parseSend(res(200, [1, 2]), job())).toThrow(/expected/);
		expect(() => mtnCongoProvider.parseSend(res(200, { status: '200' }), job())).toThrow(/no message id/);
	});

	test('credits and rejected numbers', () => {
		expect(parseCredits('envoyé (coût: 46 crédits)')).toBe(46);
		expect(parseCredits('envoye (cout: 2.5 credits)')).toBe(2.5);
		expect(parseCredits('envoyé')).toBeNull();
		expect(parseRejectedNumbers('Erreur MSISDN: 24206846349, 242000')).toEqual(['24206846349', '242000']);
	});
});

describe('statuses', () => {
	test('codes map to the normalised statuses', () => {
		expect([0, 1, 2, 4, 8, 16, 99].map(mapMtnStatusCode)).toEqual(['pending', 'delivered', 'undelivered', 'queued', 'sent', 'rejected', 'pending']);
	});

	test('status lines', () => {
		expect(parseStatusLine('242056753822, 1, Livré au téléphone', '26', 15)).toEqual({
			to: '242056753822',
			status: 'delivered',
			providerStatus: '1 Livré au téléphone',
			messageId: '26',
			extra: { providerCode: 1, externalId: 15 },
		});
		expect(() => parseStatusLine('nonsense', '26', null)).toThrow(/number, code, label/);
	});

	test('documented status answer', () => {
		const reports = mtnCongoProvider.parseStatus!(
			{
				status: 200,
				headers: {},
				text: JSON.stringify({ resultat: ['242056753822, 1, Livré au téléphone', '242068463499, 2, Non remis au téléphone'], status: '200', externalId: 15 }),
			},
			'26',
		);
		expect(reports.map((r) => [r.to, r.status])).toEqual([
			['242056753822', 'delivered'],
			['242068463499', 'undelivered'],
		]);
	});
});

describe('callback payloads', () => {
	const at = '2026-11-22T10:00:00.000Z';
	test('status-answer shape', () => {
		const items = parseCallback({ id: '26', externalId: 15, status: '200', resultat: ['242056753822, 1, Livré au téléphone', '242068463499, 16, Rejeté'] }, at);
		expect(items.map((i) => [i.messageId, i.externalId, i.to, i.status, i.providerStatus])).toEqual([
			['26', 15, '242056753822', 'delivered', '1 Livré au téléphone'],
			['26', 15, '242068463499', 'rejected', '16 Rejeté'],
		]);
	});

	test('flat shape, form strings, lists', () => {
		expect(parseCallback({ id: '7', msisdn: '242068463499', code: '2', label: 'Non remis' }, at)[0]).toMatchObject({ to: '242068463499', status: 'undelivered', messageId: '7' });
		expect(parseCallback([{ id: 1, number: '242068463499', status: 8 }], at)[0]).toMatchObject({ status: 'sent', messageId: '1' });
		expect(parseCallback({ id: '3', resultat: '242068463499, 1, Livré' }, at)[0]).toMatchObject({ status: 'delivered' });
	});

	test('unknown shapes are kept, not dropped', () => {
		const [item] = parseCallback({ foo: 'bar' }, at);
		expect(item.status).toBeNull();
		expect(item.raw).toEqual({ foo: 'bar' });
		expect(item.warning).toBeDefined();
	});
});

describe('sendAt', () => {
	test('a wall-clock time is read in the workflow time zone', () => {
		expect(toInstant('2026-12-01T10:00:00', 'Africa/Brazzaville').toISOString()).toBe('2026-12-01T09:00:00.000Z');
		expect(toInstant('2026-12-01T10:00:00', 'Europe/Paris').toISOString()).toBe('2026-12-01T09:00:00.000Z');
		expect(toInstant('2026-07-01T10:00:00', 'Europe/Paris').toISOString()).toBe('2026-07-01T08:00:00.000Z');
		expect(toInstant('2026-12-01T10:00:00', 'UTC').toISOString()).toBe('2026-12-01T10:00:00.000Z');
	});

	test('explicit offsets, Date and Luxon-like values are used as given', () => {
		expect(toInstant('2026-12-01T10:00:00+02:00', 'UTC').toISOString()).toBe('2026-12-01T08:00:00.000Z');
		expect(toInstant(new Date('2026-12-01T10:00:00Z'), 'Europe/Paris').toISOString()).toBe('2026-12-01T10:00:00.000Z');
		expect(toInstant({ toISO: () => '2026-12-01T10:00:00.000+01:00' }, 'UTC').toISOString()).toBe('2026-12-01T09:00:00.000Z');
		expect(() => toInstant('tomorrow', 'UTC')).toThrow(/not a date/);
	});

	test('Congo time formatting', () => {
		expect(formatAtOffset(new Date('2026-12-31T23:30:00Z'), 60)).toBe('2027-01-01T00:30:00');
	});
});
