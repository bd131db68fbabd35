import { SegmentedMessage } from 'sms-segments-calculator';
import { analyzeText, isGsm7Text, transliterateToGsm7 } from '../../nodes/shared/text';

const corpus = [
	'Hello',
	'Votre commande 1234 est expédiée. Merci !',
	'Bonjour, votre rendez-vous est confirmé à 10h.',
	'a'.repeat(160),
	'a'.repeat(161),
	'a'.repeat(306),
	'a'.repeat(307),
	'{'.repeat(80),
	'{'.repeat(81),
	`${'a'.repeat(152)}€${'b'.repeat(10)}`,
	'Prix: 5000 FCFA ~ [promo] | 20% ^ \\ €',
	'L’équipe vous souhaite « bonne fête » … ça va ?',
	'ê'.repeat(70),
	'ê'.repeat(71),
	'ê'.repeat(134),
	'ê'.repeat(135),
	'Merci 😀 pour votre achat',
	`${'x'.repeat(66)}😀${'y'.repeat(10)}`,
	'Ligne 1\nLigne 2\nLigne 3',
	'',
];

describe('GSM-7 / UCS-2 analysis', () => {
	test.each(corpus.filter(Boolean))('agrees with sms-segments-calculator: %s', (text) => {
		const ours = analyzeText(text);
		const oracle = new SegmentedMessage(text);
		expect(ours.encoding).toBe(oracle.encodingName);
		expect(ours.segments).toBe(oracle.segmentsCount);
	});

	test('extension characters count double and are not split across parts', () => {
		expect(analyzeText('[]').units).toBe(4);
		expect(analyzeText('€'.repeat(80)).segments).toBe(1);
		expect(analyzeText('€'.repeat(81)).segments).toBe(2);
	});

	test('boundaries 160/153 and 70/67', () => {
		expect(analyzeText('a'.repeat(160))).toMatchObject({ encoding: 'GSM-7', segments: 1 });
		expect(analyzeText('a'.repeat(161))).toMatchObject({ encoding: 'GSM-7', segments: 2 });
		expect(analyzeText('a'.repeat(459))).toMatchObject({ segments: 3 });
		expect(analyzeText('a'.repeat(460))).toMatchObject({ segments: 4 });
		expect(analyzeText('ç'.repeat(70))).toMatchObject({ encoding: 'UCS-2', segments: 1 });
		expect(analyzeText('ç'.repeat(71))).toMatchObject({ encoding: 'UCS-2', segments: 2 });
		expect(analyzeText('')).toMatchObject({ segments: 0, characters: 0 });
	});

	test('characters counts code points', () => {
		expect(analyzeText('😀a').characters).toBe(2);
		expect(analyzeText('😀a').units).toBe(3);
	});
});

describe('transliteration to GSM-7', () => {
	test('maps French typography to GSM-7 equivalents', () => {
		expect(transliterateToGsm7('’‘“”«»…œŒêâîôûëïç')).toBe('\'\'""""...oeOEeaiouei' + 'c');
	});

	test('keeps accented letters GSM-7 has', () => {
		expect(transliterateToGsm7('é è à ù ì ò É Ç')).toBe('é è à ù ì ò É Ç');
	});

	test('makes typical French notifications GSM-7 and cheaper', () => {
		const text = 'L’équipe vous rappelle votre rendez‑vous « contrôle » de 10h… Prêt ? Merci, à bientôt !';
		expect(isGsm7Text(text)).toBe(false);
		const converted = transliterateToGsm7(text);
		expect(isGsm7Text(converted)).toBe(true);
		expect(new SegmentedMessage(converted).encodingName).toBe('GSM-7');
		expect(analyzeText(converted).segments).toBe(new SegmentedMessage(converted).segmentsCount);
	});

	test('leaves characters with no equivalent alone', () => {
		expect(transliterateToGsm7('Merci 😀')).toBe('Merci 😀');
	});
});
