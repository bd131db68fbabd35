/**
 * What the tests know of one SMS provider. Each provider keeps these facts beside its
 * simulator: test/sandbox/<id>.simulator.ts exports `testProvider`, and ./registry.ts
 * lists them, so that a new provider joins every test by adding its simulator file.
 */
import type { CountryCode } from 'libphonenumber-js';
import type { ICredentialDataDecryptedObject, INodeParameters } from 'n8n-workflow';
import type { SmsOperation, SmsProvider, SmsStatus } from '../../nodes/shared/provider';
import type { ProviderSimulator, SimRequest } from '../sandbox/simulator';

/** What every simulator's ledger entry (one per SMS accepted) holds at least. */
export interface LedgerEntry {
	/** The number as the provider received it (its own form: 2420…, +241…). */
	to: string;
	text: string;
}

/** A provider simulator with its ledger. */
export type TestSimulator = ProviderSimulator & { readonly ledger: LedgerEntry[]; reset(): void };

/** A node's credentials, by credential type, as NodeUnderTest takes them. */
export type TestCredentials = Record<string, ICredentialDataDecryptedObject>;

export interface TestProvider<S extends TestSimulator = TestSimulator> {
	/** The provider's id, the output's `provider`: for the product's providers a key of SMS_PROVIDERS (nodes/providers.ts). */
	id: string;
	/** The provider's name as its messages give it ("MTN Congo refused …"). */
	label: string;
	/** The provider's side of the seam (nodes/shared/provider.ts): recipients per request, placeholders, text limit. */
	sms: SmsProvider;
	/** The node's type, without the package prefix. */
	nodeType: string;
	/** The provider's trigger node type, where it has one. */
	triggerNodeType?: string;
	credentialType: string;
	/** The node's SMS operations, in the node's order. */
	operations: SmsOperation[];
	/** The output's status for an SMS the provider took (accepted, pending, sent). */
	sentStatus: SmsStatus;
	/** A simulator for tests, not started: secrets that URL and form encoding change, credit for any run. */
	createSimulator(): S;
	/** The node's credentials against this simulator. */
	credentials(sim: S): TestCredentials;
	/** The credential's secrets: never in output, errors or logs. */
	secrets(sim: S): string[];
	/** Item i's number (i below 100 000), in international form (+…), one the simulator takes. */
	phone(i: number): string;
	/** A sender the simulator takes. */
	sender: string;
	/** Parameters every SMS operation of the node needs besides its own (Mon SMS PRO: the resource). */
	parameters: INodeParameters;
	/** Whether a request the simulator received is a send (not a status query or a record call). */
	isSend(req: SimRequest): boolean;
	/** An answer at HTTP 200 by which the provider refuses a send; absent where it never refuses so. */
	errorBody200?: unknown;
	/** The ledger entry's field holding the provider's id of the SMS, where the provider gives one. */
	ledgerIdField?: string;
	/** Runs once before a test file uses the provider: a test-only provider registers its node here. */
	prepare?(): Promise<void>;
	/** How `npm run sandbox` and `npm run dev` run it; absent for test-only providers. */
	sandbox?: SandboxFacts<S>;
	/** The parameter fuzzing's model of the provider (test/fuzz); absent: not fuzzed. */
	fuzz?: FuzzFacts<S>;
}

export interface SandboxFacts<S extends TestSimulator> {
	/** Its short name in the sandbox ('mtn'): a key of SandboxPorts and of Sandbox. */
	key: string;
	/** `npm run sandbox`'s port, and the variable that changes it. */
	port: number;
	portVariable: string;
	/** The sandbox credential's id, as the example workflows reference it. */
	credentialId: string;
	/** The credential type's name in n8n ("MTN Congo SMS API"). */
	credentialName: string;
	/** The simulator as the sandbox runs it, with the secrets it prints. */
	createSimulator(options: { autoDeliverMs?: number }): S;
	/** What `npm run sandbox` prints of it under the credential's name: [field, value] or a note; the ledger's address follows. */
	describe(sim: S): Array<[string, string] | string>;
}

export interface FuzzFacts<S extends TestSimulator> {
	/** What the provider takes, independently of the node's code (test/fuzz/models.ts). */
	model: Omit<ProviderModel, 'node' | 'name'>;
	/** Cases per operation. */
	runs: Array<[SmsOperation, number]>;
	/** Makes a message Get Status can query, and gives its id. */
	seedMessage?(sim: S): Promise<string>;
	/** The SMS the run sent (seedMessage's left out, where they stay in the ledger). */
	ledger?(sim: S): LedgerEntry[];
}

/** The parameter fuzzing's model of a provider: what it takes, as its documentation and simulator say. */
export interface ProviderModel {
	node: string;
	name: string;
	home: CountryCode;
	format: 'digits' | 'e164';
	/** Whether the simulator takes this number (as the provider receives it). */
	acceptsNumber(number: string): boolean;
	senders: string[];
	/** Senders the provider refuses (not registered, not accepted yet). */
	otherSenders?: string[];
	acceptsSender(sender: string): boolean;
	maxSenderLength?: number;
	/** An empty Sender is valid: the provider uses its default (Orange). */
	optionalSender?: boolean;
	/** The provider fills :P1…:P5 itself from a `;`-separated list (MTN). */
	nativeTemplates?: boolean;
	/** Longest text the node lets through in one SMS (ION). */
	maxTextCharacters?: number;
	/** Longest text the provider accepts (Mon SMS PRO's simulator). */
	providerMaxTextCharacters?: number;
	/** Most SMS parts (GSM-7 153, UCS-2 67 characters each) one text may take (Orange). */
	providerMaxSegments?: number;
	scheduleByDay?: boolean;
	quarterHours?: boolean;
	batchCoupled?: boolean;
	resource?: string;
	/** The display name of Message ID, where the node renames it. */
	messageIdField?: string;
}
