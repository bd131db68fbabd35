import type { SmsProvider } from '../../nodes/shared/provider';
import type { TestProvider } from './types';

/** What a provider's side of the seam already says of it: id, name, credential type. */
export function fromSeam(sms: SmsProvider): Pick<TestProvider, 'id' | 'label' | 'sms' | 'credentialType'> {
	return { id: sms.id, label: sms.name, sms, credentialType: sms.credentialType };
}
