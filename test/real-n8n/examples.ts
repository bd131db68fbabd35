/**
 * The example workflows and the sandbox credentials they use, shared by `npm run dev`
 * and the end-to-end tests so both run exactly what the README describes.
 */
import { join } from 'node:path';

import type { TestSimulator } from '../providers/registry';
import { sandboxProviders, type SandboxSimulators } from '../sandbox/sandbox';
import { projectRoot } from './communityPackage';
import type { SandboxCredential } from './instance';

export interface Example {
	id: string;
	file: string;
	/** Published (listening for webhooks) as soon as it is imported. */
	publish: boolean;
}

export const EXAMPLES = {
	orderShipped: { id: 'AfSmsOrderShip01', file: 'order-shipped-sms.json', publish: true },
	campaign: { id: 'AfSmsCampaign001', file: 'campaign-personalized-sms.json', publish: false },
	dryRunCampaign: { id: 'AfSmsDryRunCamp1', file: 'campaign-dry-run-mtn.json', publish: false },
	deliverySend: { id: 'AfSmsDeliverySnd', file: 'delivery-tracking-send.json', publish: false },
	deliveryTrigger: { id: 'AfSmsDeliveryTrg', file: 'delivery-tracking-trigger.json', publish: true },
	appointmentReminders: { id: 'AfSmsLmtRemind01', file: 'appointment-reminders-lmt.json', publish: false },
	promoWindow: { id: 'AfSmsIonPromo001', file: 'promotion-window-ion.json', publish: false },
	creditCampaign: { id: 'AfSmsMspCampgn01', file: 'credit-checked-campaign-monsmspro.json', publish: false },
	orangeOtp: { id: 'AfSmsOrangeOtp01', file: 'otp-orange.json', publish: false },
	orangeOptOut: { id: 'AfSmsOrangeStop1', file: 'opt-out-orange.json', publish: true },
} satisfies Record<string, Example>;

export const examplePath = (example: Example) => join(projectRoot, 'examples', example.file);

/**
 * What the examples' nodes reference (credential id and name in the workflow JSON), one per
 * provider of the sandbox, from its simulator (by its sandbox key: sandbox.mtn …).
 */
export function sandboxCredentials(simulators: Partial<SandboxSimulators>): SandboxCredential[] {
	return sandboxProviders().flatMap(({ sandbox, label, credentialType, credentials }) => {
		const sim = simulators.byKey?.[sandbox.key] ?? (simulators as Record<string, TestSimulator | undefined>)[sandbox.key];
		return sim ? [{ id: sandbox.credentialId, name: `${label} (sandbox)`, type: credentialType, data: credentials(sim)[credentialType] }] : [];
	});
}

/** The local editor's login (a throw-away instance on 127.0.0.1). */
export const SANDBOX_OWNER = {
	email: 'dev@africa-sms.test',
	password: 'Sandbox-2026',
	firstName: 'Africa',
	lastName: 'SMS',
};

/** The Orange trigger's webhook path and secret, as in opt-out-orange.json. */
export const ORANGE_WEBHOOK = { id: '4b7e2d90-6c1a-4f3e-8d25-9a0b1c2d3e4f', secret: 'sandbox-orange-secret' };

/** The delivery trigger's webhook path and secret, as in delivery-tracking-trigger.json. */
export const DELIVERY_WEBHOOK = { id: '8d3c6f5e-2a41-4c8b-b7e9-5f0d1a2b3c4d', secret: 'sandbox-delivery-secret' };
