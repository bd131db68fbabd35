/**
 * Runs a node type defined in the tests through runNode (test/helpers/n8n.ts), which
 * takes the package's node types from what n8n's loader loaded: the type is added there,
 * as if the built package held it, for the test file that registers it.
 */
import type { INodeType } from 'n8n-workflow';
import { loadPackage } from '../helpers/n8n';

export async function registerNodeType(node: INodeType): Promise<void> {
	const loader = await loadPackage();
	loader.nodeTypes[node.description.name] = { type: node, sourcePath: __filename };
}
