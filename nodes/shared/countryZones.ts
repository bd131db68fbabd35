/**
 * The time zones of the countries our providers serve, by ISO alpha-2 code, for quiet
 * hours read in the recipient's country. A country with several zones lists them all
 * (quiet hours then hold until they end in the last one). Countries not listed are read
 * in the workflow's time zone.
 */
export const COUNTRY_ZONES: Readonly<Record<string, readonly string[]>> = {
	CG: ['Africa/Brazzaville'],
	CD: ['Africa/Kinshasa', 'Africa/Lubumbashi'],
	CM: ['Africa/Douala'],
	GA: ['Africa/Libreville'],
	CF: ['Africa/Bangui'],
	TD: ['Africa/Ndjamena'],
	GQ: ['Africa/Malabo'],
	CI: ['Africa/Abidjan'],
	SN: ['Africa/Dakar'],
	ML: ['Africa/Bamako'],
	BF: ['Africa/Ouagadougou'],
	GN: ['Africa/Conakry'],
	GW: ['Africa/Bissau'],
	NE: ['Africa/Niamey'],
	TG: ['Africa/Lome'],
	BJ: ['Africa/Porto-Novo'],
	LR: ['Africa/Monrovia'],
	MG: ['Indian/Antananarivo'],
	BW: ['Africa/Gaborone'],
	TN: ['Africa/Tunis'],
	MA: ['Africa/Casablanca'],
	DZ: ['Africa/Algiers'],
	EG: ['Africa/Cairo'],
	JO: ['Asia/Amman'],
	RW: ['Africa/Kigali'],
	BI: ['Africa/Bujumbura'],
	FR: ['Europe/Paris'],
	BE: ['Europe/Brussels'],
};
