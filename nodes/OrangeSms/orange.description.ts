import type { INodeProperties } from 'n8n-workflow';
import { forResource, smsNodeProperties } from '../shared/description';
import { connectionOptions } from '../shared/nodeOptions';
import type { SmsOperation } from '../shared/provider';
import { ORANGE_COUNTRIES } from './countries';
import { orangeProvider } from './orange.api';

/** Orange has no scheduling and no status query: delivery reports come through the trigger. */
export const SMS_OPERATIONS: SmsOperation[] = ['send', 'sendBulk', 'sendPersonalized'];

const account = (operations: string[]) => ({ show: { resource: ['account'], operation: operations } });

const smsProperties = forResource(
	smsNodeProperties(
		SMS_OPERATIONS,
		{
			optionalSender: true,
			requestsPerSecond: orangeProvider.requestsPerSecond,
			senderDescription: `The sender name the recipients see: one Orange registered for your account, at most ${orangeProvider.maxSenderLength} letters, digits or spaces. Empty: the credential's Sender Name, else your account's default name. Orange shows its default name instead of a name it has not registered.`,
			toPlaceholder: '+225 07 00 00 00 01, 0500000002',
			maxPlaceholders: orangeProvider.maxPlaceholders,
			checksBalance: orangeProvider.balance !== undefined,
		},
		[],
	),
	'sms',
);

const accountProperties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['account'] } },
		options: [
			{ name: 'Get Balance', value: 'getBalance', action: 'Get the SMS balance', description: 'Units left, status and expiry of the SMS bundle of each country' },
			{ name: 'Get Purchases', value: 'getPurchases', action: 'Get the bundle purchases', description: 'The SMS bundles bought for the account' },
			{ name: 'Get Usage', value: 'getUsage', action: 'Get the SMS usage', description: 'SMS sent per country and app' },
		],
		default: 'getBalance',
	},
	{
		displayName: 'Country',
		name: 'country',
		type: 'options',
		options: [{ name: 'All Countries', value: '' }, ...ORANGE_COUNTRIES.map((c) => ({ name: `${c.name} (${c.alpha3})`, value: c.alpha3 }))],
		default: '',
		displayOptions: account(['getBalance', 'getUsage', 'getPurchases']),
		description: 'Only this country',
	},
	{
		displayName: 'App ID',
		name: 'appId',
		type: 'string',
		default: '',
		displayOptions: account(['getUsage']),
		description: "Only this app (its ID on developer.orange.com); empty: every app of the account",
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show: { resource: ['account'] } },
		options: connectionOptions(orangeProvider.requestsPerSecond),
	},
];

export const orangeProperties: INodeProperties[] = [
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Account', value: 'account' },
			{ name: 'SMS', value: 'sms' },
		],
		default: 'sms',
	},
	...smsProperties,
	...accountProperties,
];
