import { ionSmsGatewayProvider } from './IonSmsGateway/ionSmsGateway.api';
import { lmtGroupProvider } from './LmtBulkSms/lmtGroup.api';
import { monSmsProProvider } from './MonSmsPro/monSmsPro.api';
import { mtnCongoProvider } from './MtnCongoSms/mtnCongo.api';
import { orangeProvider } from './OrangeSms/orange.api';
import type { SmsProvider } from './shared/provider';

/**
 * Every SMS provider of the package, keyed by its id (the output's `provider`
 * value). The provider ids, and every list of providers in the tests, the
 * sandbox and the benchmarks, come from here.
 */
export const SMS_PROVIDERS = {
	mtnCongo: mtnCongoProvider,
	lmtGroup: lmtGroupProvider,
	ionSmsGateway: ionSmsGatewayProvider,
	monSmsPro: monSmsProProvider,
	orange: orangeProvider,
} satisfies Record<string, SmsProvider>;

export type ProviderId = keyof typeof SMS_PROVIDERS;

export const PROVIDER_IDS = Object.keys(SMS_PROVIDERS) as ProviderId[];
