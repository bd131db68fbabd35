import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';
import { baseUrlProperty, defaultCountryProperty, secretProperty } from '../nodes/shared/credentials';

// LMT wants the key and the password inside the form body of every push, so
// there is nothing to authenticate in a header: the node's request builder puts
// them in. The test is the node's method `lmtBulkSmsApiTest` (testedBy), since
// telling a refused key from a complaint about empty fields needs more than
// n8n's declarative rules.
export class LmtBulkSmsApi implements ICredentialType {
	name = 'lmtBulkSmsApi';

	displayName = 'LMT BulkSMS API';

	icon: Icon = { light: 'file:../nodes/LmtBulkSms/lmtGroup.svg', dark: 'file:../nodes/LmtBulkSms/lmtGroup.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-africa-sms/n8n-nodes-africa-sms/blob/main/docs/providers/lmt-group.md#credential-lmt-bulksms-api';

	properties: INodeProperties[] = [
		secretProperty('API Key', 'apiKey', 'The "Clé d\'API" shown on BulkSMS under Mon compte → Profil'),
		secretProperty('Password', 'password', 'The password you log in to BulkSMS with (LMT\'s API asks for the account password itself, not a separate API secret). Changing it on BulkSMS means changing it here too.'),
		baseUrlProperty('https://app.lmtgroup.com/bulksms/api/v1/'),
		defaultCountryProperty('CM'),
	];
}
