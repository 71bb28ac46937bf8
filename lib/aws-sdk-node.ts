/**
 * The AWS SDK for JavaScript v3 warns on every run under Node < 22 ("NodeVersionSupportWarning":
 * SDK releases after January 2027 will need Node 22). Decision (README, "Node version"): the SDK
 * versions are pinned in package.json, so the warning says nothing a user can act on in our
 * output; we silence it where we create SDK clients, and move .tool-versions to Node 22 with the
 * next SDK bump. A user who sets the variable themselves keeps their choice.
 */
export function quietSdkNodeVersionWarning(): void {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
}
