import type { INodeProperties } from 'n8n-workflow';
import { smsNodeProperties } from '../shared/description';
import { CONNECTION_OPTIONS } from '../shared/nodeOptions';
import { ENGINE_SWITCHES_PARAMETER } from '../shared/engineSwitches';
import type { SmsOperation } from '../shared/provider';
import { monSmsProProvider } from './monSmsPro.api';

export const SMS_OPERATIONS: SmsOperation[] = ['send', 'sendBulk', 'sendPersonalized', 'sendScheduled', 'getStatus'];
const SENDS = ['send', 'sendBulk', 'sendPersonalized', 'sendScheduled'];
const show = (resource: string, operation?: string[]) => ({ show: { resource: [resource], ...(operation ? { operation } : {}) } });

const returnAllAndLimit = (resource: string, operations = ['getAll']): INodeProperties[] => [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		displayOptions: show(resource, operations),
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		displayOptions: { show: { resource: [resource], operation: operations, returnAll: [false] } },
		description: 'Max number of results to return',
	},
];

const campaignOptions: INodeProperties[] = [
	{
		displayName: 'Campaign Name',
		name: 'campaignName',
		type: 'string',
		default: '',
		displayOptions: { show: { '/operation': SENDS } },
		description: 'Name shown in Mon SMS PRO. Empty: "n8n", the operation and the date and time, e.g. "n8n Send Bulk 2026-11-23 14:05".',
	},
	{
		displayName: 'Add Groups Names or IDs',
		name: 'groupsIds',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getGroups' },
		default: [],
		displayOptions: { show: { '/operation': ['send', 'sendScheduled'] } },
		description:
			'Saved groups whose contacts also receive the campaign. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	{
		displayName: 'Contact Name',
		name: 'contactName',
		type: 'string',
		default: '',
		placeholder: '={{ $json.name }}',
		displayOptions: { show: { '/operation': ['sendBulk', 'sendPersonalized'] } },
		description: 'The recipient\'s name, kept with the contact Mon SMS PRO creates for a new number',
	},
	{
		displayName: 'Round Up to the Next Quarter Hour',
		name: 'roundToQuarterHour',
		type: 'boolean',
		default: false,
		displayOptions: { show: { '/operation': ['sendScheduled'] } },
		description: 'Whether to move a Send At that is not on :00, :15, :30 or :45 to the next quarter hour instead of failing the item',
	},
	{
		displayName: 'Repeat On',
		name: 'repeatOn',
		type: 'multiOptions',
		options: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'].map((day) => ({ name: day, value: day.toLowerCase() })),
		default: [],
		displayOptions: { show: { '/operation': ['sendScheduled'] } },
		description:
			"Make it a recurring campaign: Mon SMS PRO sends it every chosen weekday at Send At's time of day (Abidjan time, UTC+0), from then on, until you stop it in Mon SMS PRO. Empty: once, at Send At.",
	},
];

const nameFields: INodeProperties[] = [
	{ displayName: 'Name', name: 'name', type: 'string', default: '' },
	{ displayName: 'First Name', name: 'firstName', type: 'string', default: '' },
	{ displayName: 'Last Name', name: 'lastName', type: 'string', default: '' },
	{
		displayName: 'Sex',
		name: 'sex',
		type: 'options',
		options: [
			{ name: 'Female', value: 'F' },
			{ name: 'Male', value: 'M' },
		],
		default: 'F',
	},
];

const contactProperties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: show('contact'),
		options: [
			{ name: 'Create', value: 'create', action: 'Create a contact', description: 'Add a contact to the address book' },
			{ name: 'Delete', value: 'delete', action: 'Delete a contact' },
			{ name: 'Get', value: 'get', action: 'Get a contact' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many contacts' },
			{ name: 'Update', value: 'update', action: 'Update a contact' },
		],
		default: 'create',
	},
	{
		displayName: 'Phone',
		name: 'phone',
		type: 'string',
		required: true,
		default: '',
		placeholder: '+225 07 00 00 00 01',
		displayOptions: show('contact', ['create']),
		description: "International form, or a national number of the credential's default country",
	},
	{
		displayName: 'Contact ID',
		name: 'contactId',
		type: 'string',
		required: true,
		default: '',
		displayOptions: show('contact', ['get', 'update', 'delete']),
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: show('contact', ['create']),
		options: nameFields,
	},
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: show('contact', ['update']),
		options: [...nameFields, { displayName: 'Phone', name: 'phone', type: 'string', default: '' }],
	},
	...returnAllAndLimit('contact'),
];

const groupProperties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: show('group'),
		options: [
			{ name: 'Create', value: 'create', action: 'Create a group', description: 'Create a group with its contacts' },
			{ name: 'Delete', value: 'delete', action: 'Delete a group' },
			{ name: 'Get', value: 'get', action: 'Get a group' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many groups' },
			{ name: 'Update', value: 'update', action: 'Update a group', description: 'Rename a group or add contacts to it' },
		],
		default: 'create',
	},
	{ displayName: 'Name', name: 'name', type: 'string', required: true, default: '', displayOptions: show('group', ['create']) },
	{ displayName: 'Description', name: 'description', type: 'string', default: '', displayOptions: show('group', ['create']) },
	{
		displayName: 'Contacts From',
		name: 'contactsFrom',
		type: 'options',
		options: [
			{ name: 'All Input Items (One Group)', value: 'allItems', description: 'One group holding the numbers of every input item; Name and Description come from the first item' },
			{ name: 'Each Input Item (One Group Each)', value: 'eachItem', description: 'Each input item creates its own group' },
		],
		default: 'allItems',
		displayOptions: show('group', ['create']),
	},
	{
		displayName: 'Contacts',
		name: 'contacts',
		type: 'string',
		default: '',
		placeholder: '={{ $json.phone }}',
		displayOptions: show('group', ['create']),
		description:
			'Phone numbers, separated by commas or new lines (an expression may also give a list), such as each item\'s phone field. International form, or national numbers of the credential\'s default country.',
	},
	{
		displayName: 'Group ID',
		name: 'groupId',
		type: 'string',
		required: true,
		default: '',
		displayOptions: show('group', ['get', 'update', 'delete']),
	},
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: show('group', ['update']),
		options: [
			{ displayName: 'Name', name: 'name', type: 'string', default: '' },
			{ displayName: 'Description', name: 'description', type: 'string', default: '' },
			{ displayName: 'Add Contacts', name: 'contacts', type: 'string', default: '', description: 'Phone numbers to add, separated by commas or new lines' },
		],
	},
	...returnAllAndLimit('group'),
];

const senderProperties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: show('sender'),
		options: [
			{ name: 'Create', value: 'create', action: 'Create a sender name', description: 'Ask Mon SMS PRO to approve a sender name' },
			{ name: 'Get Campaigns', value: 'getCampaigns', action: 'Get the campaigns of a sender' },
			{ name: 'Get Many', value: 'getAll', action: 'Get many sender names' },
		],
		default: 'getAll',
	},
	{
		displayName: 'Sender Name',
		name: 'senderName',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'MyShop',
		displayOptions: show('sender', ['create']),
		description: '3 to 11 letters or digits. Mon SMS PRO reviews it: its status goes from PENDING to ACCEPTED or REFUSED.',
	},
	{ displayName: 'Description', name: 'description', type: 'string', required: true, default: '', displayOptions: show('sender', ['create']), description: 'What the sender is for, for the review' },
	{
		displayName: 'Sender Name or ID',
		name: 'senderId',
		type: 'options',
		typeOptions: { loadOptionsMethod: 'getSenderIds' },
		required: true,
		default: '',
		displayOptions: show('sender', ['getCampaigns']),
		description:
			'The sender whose campaigns to list. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
	},
	...returnAllAndLimit('sender', ['getAll', 'getCampaigns']),
];

const accountProperties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: show('account'),
		options: [{ name: 'Get Credit', value: 'getCredit', action: 'Get the credit balance', description: 'The SMS credits left on the account' }],
		default: 'getCredit',
	},
];

/** The campaign resource: the shared SMS properties, shown for it only, plus Get Many and the sender list. */
function campaignProperties(): INodeProperties[] {
	const properties = smsNodeProperties(
		SMS_OPERATIONS,
		{
			senderDescription: '',
			toPlaceholder: '+225 07 00 00 00 01, 0500000002',
			maxPlaceholders: monSmsProProvider.maxPlaceholders,
			checksBalance: monSmsProProvider.balance !== undefined,
			sendAtDescription:
				"When to send: Mon SMS PRO starts campaigns at :00, :15, :30 and :45 only (see the option 'Round Up to the Next Quarter Hour'). A date without time zone is read in the workflow's time zone.",
		},
		campaignOptions,
	).map((p): INodeProperties => {
		// The engine's switches apply to every resource.
		if (p.name === ENGINE_SWITCHES_PARAMETER) return p;
		const onlyCampaign = { ...p, displayOptions: { show: { resource: ['campaign'], ...(p.displayOptions?.show ?? {}) } } };
		if (p.name === 'operation') {
			return {
				...onlyCampaign,
				options: [
					...(p.options ?? []),
					{ name: 'Get Many', value: 'getAll', action: 'Get many campaigns', description: 'List the campaigns of the account' },
				],
			} as INodeProperties;
		}
		if (p.name === 'sender') {
			return {
				...onlyCampaign,
				type: 'options',
				typeOptions: { loadOptionsMethod: 'getSenders' },
				description:
					'A sender name of your account (its review status in brackets); Mon SMS PRO sender names have 3 to 11 letters or digits. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			};
		}
		if (p.name === 'messageId') return { ...onlyCampaign, displayName: 'Campaign ID', description: 'The messageId a send returned: the campaign ID' };
		return onlyCampaign;
	});
	return [...properties, ...returnAllAndLimit('campaign')];
}

/** Pacing and time-out for the contact, group, sender and account operations (the campaign resource has its own Options). */
const recordOptions: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	displayOptions: { show: { resource: ['contact', 'group', 'sender', 'account'] } },
	options: CONNECTION_OPTIONS,
};

export const monSmsProProperties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Account', value: 'account' },
			{ name: 'Campaign', value: 'campaign' },
			{ name: 'Contact', value: 'contact' },
			{ name: 'Group', value: 'group' },
			{ name: 'Sender', value: 'sender' },
		],
		default: 'campaign',
	},
	...campaignProperties(),
	...contactProperties,
	...groupProperties,
	...senderProperties,
	...accountProperties,
	recordOptions,
];
