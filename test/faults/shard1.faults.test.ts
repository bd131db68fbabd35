import { runShard } from './run';

runShard(0, 2);
