import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';
import { baseUrlProperty, defaultCountryProperty, secretProperty } from '../nodes/shared/credentials';

// Mon SMS PRO wants the key inside the JSON body of every call: the node's
// request builder puts it there (no `authenticate`). The test is the node's
// method `monSmsProApiTest` (testedBy): it reads the credit balance, and only
// the body's `success` tells a refused key, since every answer is HTTP 200.
export class MonSmsProApi implements ICredentialType {
	name = 'monSmsProApi';

	displayName = 'Mon SMS PRO API';

	icon: Icon = { light: 'file:../nodes/MonSmsPro/monSmsPro.svg', dark: 'file:../nodes/MonSmsPro/monSmsPro.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-africa-sms/n8n-nodes-africa-sms/blob/main/docs/providers/mon-sms-pro.md#credential-mon-sms-pro-api';

	properties: INodeProperties[] = [
		secretProperty('API Key', 'apiKey', 'The key from the API section of your Mon SMS PRO account. Generating a new key there replaces this one.'),
		baseUrlProperty('https://rest.monsms.pro/v1/'),
		defaultCountryProperty('CI'),
	];
}
