"use strict";
// The `systemtap.*` settings the server reads, and how those that name files
// are resolved, the same way by the client (for `stap -I` in runs and checks)
// and the server (for the library it indexes). Imported by both sides, so it
// imports nothing but `path`.
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEFAULT_SERVER_SETTINGS = void 0;
exports.workspaceFolderOf = workspaceFolderOf;
exports.resolveIncludePaths = resolveIncludePaths;
const path = __importStar(require("path"));
exports.DEFAULT_SERVER_SETTINGS = { kernelRelease: '', arch: '', includePaths: [] };
/** Whether `file` is `folder` or below it. */
function holds(folder, file) {
    const relative = path.relative(folder, file);
    return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}
/** The workspace folder (a path) `file` is in: the innermost that holds it; undefined when none does. */
function workspaceFolderOf(file, folders) {
    let found;
    for (const folder of folders)
        if (holds(folder, file) && (found === undefined || folder.length > found.length))
            found = folder;
    return found;
}
/**
 * `systemtap.includePaths` as folders: strings only, blank ones left out, a
 * relative one resolved against the workspace folder of `file` (a document,
 * or a workspace folder itself); for a file in no workspace folder, against
 * the first one, whose settings apply to it.
 */
function resolveIncludePaths(setting, file, folders) {
    const base = (file !== undefined ? workspaceFolderOf(file, folders) : undefined) ?? folders[0];
    return (Array.isArray(setting) ? setting : []).filter((p) => typeof p === 'string' && p.trim() !== '').map((p) => path.resolve(base ?? '', p));
}
//# sourceMappingURL=workspaceSettings.js.map