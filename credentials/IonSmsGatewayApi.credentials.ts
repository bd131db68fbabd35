import type { Icon, ICredentialType, INodeProperties } from 'n8n-workflow';
import { baseUrlProperty, defaultCountryProperty, secretProperty } from '../nodes/shared/credentials';

// The node's request builder sets X-API-Key itself (no `authenticate`, as for the
// other providers). The test is the node's method `ionSmsGatewayApiTest` (testedBy):
// ION answers a good key's empty request with 400, which n8n's declarative rules
// would count as a failure.
export class IonSmsGatewayApi implements ICredentialType {
	name = 'ionSmsGatewayApi';

	displayName = 'ION SMS Gateway API';

	icon: Icon = { light: 'file:../nodes/IonSmsGateway/ionSmsGateway.svg', dark: 'file:../nodes/IonSmsGateway/ionSmsGateway.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-africa-sms/n8n-nodes-africa-sms/blob/main/docs/providers/ion-sms-gateway.md#credential-ion-sms-gateway-api';

	properties: INodeProperties[] = [
		secretProperty('API Key', 'apiKey', 'The API key ION-Networking gave your account (sent as the X-API-Key header). Keys can expire: ask ION for a new one when the test says so.'),
		baseUrlProperty('https://api.sms-gateway.com/api/V1/sms/'),
		defaultCountryProperty('GA'),
	];
}
