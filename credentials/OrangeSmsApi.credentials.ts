import type { IAuthenticateGeneric, Icon, ICredentialDataDecryptedObject, ICredentialTestRequest, ICredentialType, IHttpRequestHelper, INodeProperties } from 'n8n-workflow';
import { baseUrlProperty } from '../nodes/shared/credentials';
import { DEFAULT_TRANSPORT, sendRequest } from '../nodes/shared/transport';
import { ORANGE_COUNTRIES, senderNumberOf } from '../nodes/OrangeSms/countries';
import { readOrangeCredentials, readToken, TOKEN_FIELD, tokenRequest } from '../nodes/OrangeSms/orange.api';

/** A token request waits less than a send: n8n waits for it before the request it precedes. */
const TOKEN_TIMEOUT_MS = 15_000;

export class OrangeSmsApi implements ICredentialType {
	name = 'orangeSmsApi';

	displayName = 'Orange SMS API';

	icon: Icon = { light: 'file:../nodes/OrangeSms/orange.svg', dark: 'file:../nodes/OrangeSms/orange.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-africa-sms/n8n-nodes-africa-sms/blob/main/docs/providers/orange.md#credential-orange-sms-api';

	properties: INodeProperties[] = [
		{
			displayName: 'Client ID',
			name: 'clientId',
			type: 'string',
			default: '',
			description: "Your app's Client ID on developer.orange.com (My apps). Not needed when the Authorization Header below is given.",
		},
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: "Your app's Client Secret, beside the Client ID",
		},
		// The header is base64 of the client ID and secret: a secret as much as the secret itself.
		{
			displayName: 'Authorization Header',
			name: 'authorizationHeader',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			description: 'Instead of the Client ID and Secret: the ready-made "Authorization header" value of your app\'s page, with or without "Basic "',
		},
		{
			displayName: 'Sender Address',
			name: 'senderAddress',
			type: 'options',
			options: ORANGE_COUNTRIES.map((country) => ({ name: `${country.name} (${senderNumberOf(country)})`, value: senderNumberOf(country) })),
			default: senderNumberOf(ORANGE_COUNTRIES[0]),
			description: "The sender number of your account's country; to enter another one (your developer number on an older account), switch the field to Expression",
		},
		{
			displayName: 'Sender Name',
			name: 'senderName',
			type: 'string',
			default: '',
			placeholder: 'MyShop',
			description: 'Used when a node leaves its Sender empty: a name Orange registered for you (at most 11 letters, digits or spaces). Empty: the default name of your account.',
		},
		baseUrlProperty('https://api.orange.com'),
		{
			displayName: 'Default Country',
			name: 'defaultCountry',
			type: 'string',
			default: '',
			placeholder: 'CI',
			description: 'ISO 3166 alpha-2 code of the country of numbers written without a country code. Empty: the country of the Sender Address.',
		},
		{
			// Filled by n8n through preAuthentication, kept for every execution until Orange refuses it.
			displayName: 'Access Token',
			name: TOKEN_FIELD,
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
	];

	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject): Promise<{ accessToken: string }> {
		const response = await sendRequest(tokenRequest(readOrangeCredentials(credentials)), { ...DEFAULT_TRANSPORT, timeoutMs: TOKEN_TIMEOUT_MS, maxAttempts: 2 });
		return { accessToken: readToken(response) };
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: { headers: { Authorization: '=Bearer {{$credentials.accessToken}}' } },
	};

	// Reads the account's contracts: it sends no SMS.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/sms/admin/v1/contracts',
			method: 'GET',
			headers: { Accept: 'application/json' },
		},
	};
}
