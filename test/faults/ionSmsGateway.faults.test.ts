import { PROVIDERS } from './providers';
import { runProviderMatrix } from './run';

runProviderMatrix(PROVIDERS.ionSmsGateway);
