import {
	NodeConnectionTypes,
	NodeOperationError,
	type IDataObject,
	type IExecuteFunctions,
	type ILoadOptionsFunctions,
	type INodeExecutionData,
	type INodePropertyOptions,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';
import { z } from 'zod';
import { credentialTestMethod } from '../shared/credentialTest';
import { resourceOperationSubtitle } from '../shared/operationOptions';
import { SmsEngine } from '../shared/engine';
import type { SmsOperation } from '../shared/provider';
import { RecordRunner } from '../shared/records';
import { DEFAULT_TRANSPORT, sendRequest } from '../shared/transport';
import { MAX_PAGE_SIZE } from './assumptions';
import { monSmsProCall, monSmsProProvider } from './monSmsPro.api';
import { monSmsProProperties, SMS_OPERATIONS } from './monSmsPro.description';
import { monSmsProRecords, RECORD_OPERATIONS } from './monSmsPro.records';
import { smsToolUse } from '../shared/outputShape';

const named = z.array(z.object({ id: z.union([z.string(), z.number()]).transform(String), name: z.string(), status: z.string().optional() }).passthrough());

/** Most pages a dropdown reads (MAX_DROPDOWN_PAGES × MAX_PAGE_SIZE entries); an expression reaches the rest. */
const MAX_DROPDOWN_PAGES = 20;

/** The entries of a list for the editor's dropdowns, page after page. */
async function listForDropdown(ctx: ILoadOptionsFunctions, path: string): Promise<z.infer<typeof named>> {
	const credentials = monSmsProProvider.readCredentials((await ctx.getCredentials('monSmsProApi')) as IDataObject);
	const entries: z.infer<typeof named> = [];
	for (let page = 1; page <= MAX_DROPDOWN_PAGES; page++) {
		const response = await sendRequest(monSmsProCall(credentials, path, monSmsProRecords.pageFields(page, MAX_PAGE_SIZE)), { ...DEFAULT_TRANSPORT, timeoutMs: 15_000 });
		const { records, totalPages } = monSmsProRecords.readPage(response);
		entries.push(...named.parse(records));
		if (records.length < MAX_PAGE_SIZE || (totalPages !== undefined && page >= totalPages)) break;
	}
	return entries;
}

/** ACCEPTED senders first (campaigns need one), then the others; by name within each. */
async function sendersForDropdown(ctx: ILoadOptionsFunctions, value: (sender: z.infer<typeof named>[number]) => string): Promise<INodePropertyOptions[]> {
	const senders = await listForDropdown(ctx, 'sender/list');
	const rank = (s: { status?: string }) => (s.status === 'ACCEPTED' ? 0 : 1);
	return senders
		.sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name))
		.map((s) => ({ name: s.status ? `${s.name} (${s.status})` : s.name, value: value(s) }));
}

export class MonSmsPro implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Mon SMS PRO',
		name: 'monSmsPro',
		icon: { light: 'file:monSmsPro.svg', dark: 'file:monSmsPro.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: resourceOperationSubtitle(monSmsProProperties),
		description: "Send SMS campaigns and manage contacts, groups and senders in Côte d'Ivoire with Mon SMS PRO",
		defaults: { name: 'Mon SMS PRO' },
		documentationUrl: 'https://github.com/n8n-nodes-africa-sms/n8n-nodes-africa-sms/blob/main/docs/providers/mon-sms-pro.md',
		usableAsTool: smsToolUse('Sends SMS campaigns in Côte d\'Ivoire with Mon SMS PRO (resource Campaign), reads a campaign\'s status, and manages contacts, groups and sender names.', 'Côte d\'Ivoire such as 07 01 02 03 04', 'a sender name approved on the Mon SMS PRO account'),
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'monSmsProApi', required: true, testedBy: 'monSmsProApiTest' }],
		properties: monSmsProProperties,
	};

	methods = {
		credentialTest: { monSmsProApiTest: credentialTestMethod(monSmsProProvider) },
		loadOptions: {
			// The account's sender names with their review status; the value is the name campaigns take.
			async getSenders(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				return await sendersForDropdown(this, (s) => s.name);
			},
			async getSenderIds(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				return await sendersForDropdown(this, (s) => s.id);
			},
			async getGroups(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
				const groups = await listForDropdown(this, 'group/list');
				return groups.map((g) => ({ name: g.name, value: g.id }));
			},
		},
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const resource = this.getNodeParameter('resource', 0) as string;
		const operation = this.getNodeParameter('operation', 0) as string;
		if (resource === 'campaign' && (SMS_OPERATIONS as string[]).includes(operation)) {
			const engine = await SmsEngine.create(this, monSmsProProvider);
			return await engine.run(operation as SmsOperation);
		}
		const record = RECORD_OPERATIONS[`${resource}:${operation}`];
		if (!record) throw new NodeOperationError(this.getNode(), `The operation "${operation}" of "${resource}" is not supported`);
		const runner = await RecordRunner.create(this, monSmsProRecords);
		return await runner.run(record);
	}
}
