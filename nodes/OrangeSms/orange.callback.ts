import type { IDataObject } from 'n8n-workflow';
import { reportKey } from '../shared/recentReports';
import { DELIVERY_STATUS_MAP } from './assumptions';

/**
 * Orange's notifications to the trigger: delivery receipts
 * (`deliveryInfoNotification`) and incoming SMS (`inboundSMSMessageNotification`, a
 * shape nobody documents: the OneAPI one is assumed). `raw` keeps each as received.
 */

export interface OrangeDeliveryReport {
	event: 'deliveryReport';
	provider: 'orange';
	messageId: string | null;
	externalId: null;
	to: string | null;
	status: string | null;
	providerStatus: string | null;
	receivedAt: string;
	raw: unknown;
}

export interface OrangeIncomingSms {
	event: 'incomingSms';
	provider: 'orange';
	from: string | null;
	to: string | null;
	text: string;
	messageId: string | null;
	receivedAt: string;
	/** The text asks to receive no more SMS (STOP, ARRET, STOP SMS, any case or accent). */
	optOut: boolean;
	raw: unknown;
}

export type OrangeNotification = OrangeDeliveryReport | OrangeIncomingSms;

const OPT_OUT = /^(stop( sms)?|arret|desabonner|unsubscribe)$/;

/** Whether an incoming text is an opt-out word, ignoring case, accents, spaces and punctuation around it. */
export function isOptOut(text: string): boolean {
	const plain = text
		.normalize('NFD')
		.replace(/\p{M}/gu, '')
		.toLowerCase()
		.replace(/[^a-z0-9 ]+/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();
	return OPT_OUT.test(plain);
}

const isObject = (v: unknown): v is IDataObject => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : typeof v === 'number' ? String(v) : null);
/** `tel:+2250700000001` → `+2250700000001`. */
const number = (v: unknown): string | null => text(v)?.replace(/^tel:/i, '') ?? null;

/** The notification, wherever a form or a query string put its JSON. */
function unwrap(payload: unknown): IDataObject | undefined {
	if (typeof payload === 'string') {
		try {
			return unwrap(JSON.parse(payload));
		} catch {
			return undefined;
		}
	}
	if (!isObject(payload)) return undefined;
	if (payload.deliveryInfoNotification || payload.inboundSMSMessageNotification) return payload;
	for (const value of Object.values(payload)) {
		const inner = typeof value === 'string' && value.trim().startsWith('{') ? unwrap(value) : undefined;
		if (inner) return inner;
	}
	return undefined;
}

/** The reports and incoming SMS of one notification; none for a payload that is neither. */
export function parseNotification(payload: unknown, receivedAt: string): OrangeNotification[] {
	const body = unwrap(payload);
	if (!body) return [];
	const dr = body.deliveryInfoNotification;
	if (isObject(dr)) {
		const infos = Array.isArray(dr.deliveryInfo) ? dr.deliveryInfo : [dr.deliveryInfo];
		return infos.filter(isObject).map((info) => {
			const providerStatus = text(info.deliveryStatus);
			return {
				event: 'deliveryReport',
				provider: 'orange',
				messageId: text(dr.callbackData),
				externalId: null,
				to: number(info.address),
				status: providerStatus ? (DELIVERY_STATUS_MAP[providerStatus] ?? null) : null,
				providerStatus,
				receivedAt,
				raw: payload,
			};
		});
	}
	const mo = body.inboundSMSMessageNotification;
	const message = isObject(mo) ? mo.inboundSMSMessage : undefined;
	if (isObject(message)) {
		const content = typeof message.message === 'string' ? message.message : '';
		return [
			{
				event: 'incomingSms',
				provider: 'orange',
				from: number(message.senderAddress),
				to: number(message.destinationAddress),
				text: content,
				messageId: text(message.messageId),
				receivedAt: text(message.dateTime) ?? receivedAt,
				optOut: isOptOut(content),
				raw: payload,
			},
		];
	}
	return [];
}

/** A report is the same when its message, number and status are; an incoming SMS by Orange's id. */
export function notificationKey(n: OrangeNotification): string | undefined {
	if (n.event === 'deliveryReport') return n.messageId === null ? undefined : reportKey([n.messageId, n.to, n.providerStatus]);
	return n.messageId === null ? undefined : reportKey(['incoming', n.messageId]);
}
