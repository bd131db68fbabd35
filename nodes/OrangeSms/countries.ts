import { COUNTRY_SENDER_SUFFIX } from './assumptions';

/** Countries of Orange's SMS API: ISO codes (alpha-3 is what the admin calls take) and calling code. */
export interface OrangeCountry {
	name: string;
	alpha2: string;
	alpha3: string;
	dial: string;
}

export const ORANGE_COUNTRIES: readonly OrangeCountry[] = [
	{ name: "Côte d'Ivoire", alpha2: 'CI', alpha3: 'CIV', dial: '225' },
	{ name: 'Sénégal', alpha2: 'SN', alpha3: 'SEN', dial: '221' },
	{ name: 'Cameroun', alpha2: 'CM', alpha3: 'CMR', dial: '237' },
	{ name: 'Mali', alpha2: 'ML', alpha3: 'MLI', dial: '223' },
	{ name: 'Burkina Faso', alpha2: 'BF', alpha3: 'BFA', dial: '226' },
	{ name: 'Guinée', alpha2: 'GN', alpha3: 'GIN', dial: '224' },
	{ name: 'Niger', alpha2: 'NE', alpha3: 'NER', dial: '227' },
	{ name: 'Madagascar', alpha2: 'MG', alpha3: 'MDG', dial: '261' },
	{ name: 'RD Congo', alpha2: 'CD', alpha3: 'COD', dial: '243' },
	{ name: 'Guinée-Bissau', alpha2: 'GW', alpha3: 'GNB', dial: '245' },
	{ name: 'Liberia', alpha2: 'LR', alpha3: 'LBR', dial: '231' },
	{ name: 'Botswana', alpha2: 'BW', alpha3: 'BWA', dial: '267' },
	{ name: 'Tunisie', alpha2: 'TN', alpha3: 'TUN', dial: '216' },
	{ name: 'Jordanie', alpha2: 'JO', alpha3: 'JOR', dial: '962' },
	{ name: 'Égypte', alpha2: 'EG', alpha3: 'EGY', dial: '20' },
];

/** A country's sender number, as the credential holds it. */
export function senderNumberOf(country: OrangeCountry): string {
	return `tel:+${country.dial}${COUNTRY_SENDER_SUFFIX}`;
}

function countryOf(senderAddress: string): OrangeCountry | undefined {
	const digits = senderAddress.replace(/\D/g, '');
	return [...ORANGE_COUNTRIES].sort((a, b) => b.dial.length - a.dial.length).find((c) => digits.startsWith(c.dial));
}

/** The country of a sender number as Orange's admin calls name it (tel:+2250000 → CIV). */
export function countryOfSender(senderAddress: string): string | undefined {
	return countryOf(senderAddress)?.alpha3;
}

/** The same as an ISO alpha-2 code (tel:+2250000 → CI), for numbers written without a country code. */
export function alpha2OfSender(senderAddress: string): string | undefined {
	return countryOf(senderAddress)?.alpha2;
}
