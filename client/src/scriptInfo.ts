// Asks the language server what running a script takes (guru mode, script
// arguments): it has the parse, the client does not.

import * as vscode from 'vscode';
import { LanguageClient } from 'vscode-languageclient/node';
import { SCRIPT_INFO_REQUEST, ScriptInfo, ScriptInfoParams } from '../../server/src/protocol';

const UNKNOWN: ScriptInfo = { needsGuru: false, guruReasons: [], declaresGuru: false, scriptArgs: 0 };

export async function scriptInfo(client: LanguageClient, document: vscode.TextDocument): Promise<ScriptInfo> {
  try {
    const params: ScriptInfoParams = { uri: client.code2ProtocolConverter.asUri(document.uri) };
    return (await client.sendRequest(SCRIPT_INFO_REQUEST, params)) ?? UNKNOWN;
  } catch {
    return UNKNOWN; // a server that is restarting must not stop a run
  }
}
