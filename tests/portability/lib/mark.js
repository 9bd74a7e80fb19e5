// The prefix of the line on which lib/jco-call.js reports a call's outcome,
// after whatever the guest printed.
export const RESULT_MARK = '@@patchbay-portability-result@@ ';
