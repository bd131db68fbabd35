import type { Icon, ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';
import { baseUrlProperty, defaultCountryProperty } from '../nodes/shared/credentials';
import { AUTH_FAILURE_DETAILS, CREDENTIAL_TEST_MESSAGE_ID } from '../nodes/MtnCongoSms/assumptions';

export class MtnCongoSmsApi implements ICredentialType {
	name = 'mtnCongoSmsApi';

	displayName = 'MTN Congo SMS API';

	icon: Icon = { light: 'file:../nodes/MtnCongoSms/mtnCongo.svg', dark: 'file:../nodes/MtnCongoSms/mtnCongo.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-africa-sms/n8n-nodes-africa-sms/blob/main/docs/providers/mtn-congo.md#credential-mtn-congo-sms-api';

	properties: INodeProperties[] = [
		{
			displayName: 'Token',
			name: 'token',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'API token from the "info API" tab of your profile on the MTN Congo SMS platform',
		},
		baseUrlProperty('https://sms.mtncongo.net/api/sms/'),
		defaultCountryProperty('CG'),
	];

	// No `authenticate`: the node sets the header itself, and a credential with
	// `authenticate` makes n8n add a "Custom API Call" operation to the node that
	// only points to the HTTP Request node; MTN's API has nothing the node lacks.

	// A status query for a made-up id: it sends no SMS. Any answer but an
	// authentication failure means the token was accepted.
	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "") + "/"}}',
			url: '',
			method: 'POST',
			headers: { Authorization: '=Token {{$credentials.token}}' },
			body: { op: 'status', id: CREDENTIAL_TEST_MESSAGE_ID },
			json: true,
			ignoreHttpStatusErrors: true,
		},
		rules: [
			...['401', '403'].map((status) => ({
				type: 'responseSuccessBody' as const,
				properties: { key: 'status', value: status, message: `MTN Congo refused the token (${status})` },
			})),
			...AUTH_FAILURE_DETAILS.map((detail) => ({
				type: 'responseSuccessBody' as const,
				properties: { key: 'detail', value: detail, message: `MTN Congo refused the token: ${detail}` },
			})),
		],
	};
}
