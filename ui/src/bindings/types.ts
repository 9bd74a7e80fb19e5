// Generated from crates/patchbay-api by `BLESS=1 cargo test -p patchbay-api --test bindings`.
// Do not edit: change the Rust types and regenerate.

/**
 * What kind of problem checking found: a code of `patchbay-compose`, or
 * `invalid-document` for the document's own rules.
 */
export type ProblemCode = "invalid-document" | "compose-failed" | "no-such-port" | "invalid-export-name" | "duplicate-export" | "interface-exported-twice" | "import-export-conflict" | "no-exports" | "grant-not-capability" | "fake-mismatch" | "left-open" | "mock-unknown-function" | "mock-value" | "component-missing" | "component-invalid" | "component-changed" | "unknown-component" | "import-wired-twice" | "unbound-import" | "unknown-node" | "unused-binding" | "import-type-conflict" | "node-unavailable" | "self-wire" | "cycle" | "incompatible-version" | "wire-type-mismatch" | "nothing-to-compose";

export type ApiError = { 
/**
 * What kind of error it is.
 */
code: ErrorCode, 
/**
 * What went wrong, naming the file, node, wire or value.
 */
message: string, 
/**
 * More: the cause chain or the problems that blocked the operation.
 */
detail: string | null, };

export type ErrorCode = "cancelled" | "not-permitted" | "not-open" | "bad-project" | "no-project" | "importable" | "bad-component" | "bad-request" | "compose-failed" | "run-failed" | "serve-failed" | "io" | "internal";

export type FailureKind = "bad-call" | "instantiate" | "denied" | "left-open" | "timeout" | "fuel" | "memory" | "stack" | "output" | "trap";

export type LimitName = "timeout" | "fuel" | "memory" | "stack" | "output";

export type RunMode = "composed" | "traced";

export type FunctionKind = "freestanding" | "constructor" | "method" | "static";

export type TypeKind = "record" | "variant" | "enum" | "flags" | "resource" | "type";

export type GrantScope = "env" | "dirs" | "allow" | "clock" | "random" | "store" | "buckets" | "config" | "config-prefix";

export type PortAddr = { 
/**
 * Node id.
 */
node: string, 
/**
 * WIT import or export name (`patchbay:kv/store`, `handle-request`).
 */
port: string, };

export type ProjectDoc = { 
/**
 * Project name (kebab-case).
 */
name: string, 
/**
 * Component files.
 */
components: Array<ComponentEntry>, 
/**
 * Nodes on the canvas.
 */
nodes: Array<NodeEntry>, 
/**
 * Wires from an export to an import.
 */
wires: Array<WireEntry>, 
/**
 * Exports of the composition.
 */
exports: Array<ExportEntry>, 
/**
 * Bindings of unwired imports, in file order.
 */
bindings: Array<BindingEntry>, 
/**
 * Where the editor draws each built-in fake's node (`[fake-nodes]`).
 * Absent in documents written before it existed (recovery files).
 */
fakeNodes: Array<FakeNodeEntry>, 
/**
 * The run panel's argument presets (`[presets]`), by function in file
 * order. Absent when there are none (and in documents written before
 * they existed).
 */
presets?: Array<PresetEntry>, 
/**
 * Composite definitions (`[composites.NAME]`), in file order. A node
 * whose `component` is one of their names instantiates that composite
 * (component ids and composite names share one namespace). Absent
 * when there are none.
 */
composites?: Array<CompositeEntry>, };

export type ComponentEntry = { 
/**
 * Component id (kebab-case).
 */
id: string, 
/**
 * Path as written in the project: relative to the project file.
 */
path: string, 
/**
 * Shell command that rebuilds the file.
 */
build: string | null, 
/**
 * Sources whose changes call for a rebuild.
 */
watch: Array<string>, 
/**
 * Content hash recorded when the project was saved.
 */
hash: string | null, };

export type NodeEntry = { 
/**
 * Node id (kebab-case).
 */
id: string, 
/**
 * Component id, or the name of a composite of `composites`.
 */
component: string, 
/**
 * Horizontal position.
 */
x: number, 
/**
 * Vertical position.
 */
y: number, };

export type CompositeEntry = { 
/**
 * Its name (kebab-case), unique among components and composites.
 */
name: string, 
/**
 * Inner nodes, each instantiating a component or another composite.
 */
nodes: Array<NodeEntry>, 
/**
 * Wires between inner nodes.
 */
wires: Array<WireEntry>, 
/**
 * The composite's exports: inner node exports, optionally renamed.
 */
exports: Array<ExportEntry>, };

export type FakeNodeEntry = { 
/**
 * Which fake.
 */
fake: FakeName, 
/**
 * Horizontal position.
 */
x: number, 
/**
 * Vertical position.
 */
y: number, };

export type PresetEntry = { 
/**
 * The call text before the arguments: `handle-request` or
 * `patchbay:sandbox/probe#run-all`.
 */
function: string, 
/**
 * The preset's name, one line.
 */
name: string, 
/**
 * The arguments as WAVE, without the parentheses.
 */
args: string, };

export type WireEntry = { 
/**
 * The exporting side.
 */
from: PortAddr, 
/**
 * The importing side.
 */
to: PortAddr, };

export type ExportEntry = { 
/**
 * The node export re-exported.
 */
from: PortAddr, 
/**
 * Its name in the composition, if renamed.
 */
name: string | null, };

export type BindingEntry = { 
/**
 * `node.import`, `*.import`, `node.prefix*` or `*.prefix*`.
 */
selector: string, 
/**
 * What happens to the selected imports.
 */
binding: Binding, };

export type Binding = { "mode": "leave" } | { "mode": "deny" } | { "mode": "grant" } & Grant | { "mode": "mock" } & Mock;

export type Grant = { 
/**
 * Environment variables the guest may read.
 */
env: Array<string>, 
/**
 * Folders shared with the guest.
 */
dirs: Array<DirGrant>, 
/**
 * `host:port` peers reachable by sockets or outgoing HTTP.
 */
allow: Array<string>, 
/**
 * The clock the guest sees.
 */
clock: ClockSetting | null, 
/**
 * The random source the guest sees.
 */
random: RandomSetting | null, 
/**
 * The key-value database file (`wasi:keyvalue`), relative to the
 * project file or absolute.
 */
store: string | null, 
/**
 * The buckets of `store` the guest may open.
 */
buckets: Array<string>, 
/**
 * Configuration values (`wasi:config/store`).
 */
config: Array<KeyValue>, 
/**
 * A host environment prefix whose variables become configuration
 * values (prefix stripped, lowercased).
 */
configPrefix: string | null, };

export type DirGrant = { 
/**
 * Folder on the host (relative to the project file, or absolute).
 */
host: string, 
/**
 * Path the guest sees.
 */
guest: string, 
/**
 * Whether the guest may write.
 */
writable: boolean, };

export type ClockSetting = { "kind": "real" } | { "kind": "fixed", 
/**
 * Milliseconds since the Unix epoch.
 */
unixMs: number, };

export type RandomSetting = { "kind": "real" } | { "kind": "seeded", 
/**
 * The seed.
 */
seed: number, };

export type Mock = { 
/**
 * A built-in fake.
 */
fake: FakeName | null, 
/**
 * Canned behaviour per function; overrides the fake.
 */
functions: Array<MockFunction>, 
/**
 * Initial contents of the `kv` fake or the `config` fake's map.
 */
values: Array<KeyValue>, 
/**
 * Canned answers of the `http` fake, by URL (`"200 body"`).
 */
responses: Array<KeyValue>, };

export type KeyValue = { 
/**
 * Key.
 */
key: string, 
/**
 * Value.
 */
value: string, };

export type MockFunction = { 
/**
 * Function name.
 */
name: string, 
/**
 * What it does.
 */
behavior: MockBehavior, };

export type MockBehavior = { "kind": "returns", 
/**
 * WAVE text.
 */
value: string, } | { "kind": "sequence", 
/**
 * WAVE texts.
 */
values: Array<string>, } | { "kind": "match", 
/**
 * Cases, first match wins.
 */
cases: Array<MockCase>, 
/**
 * For calls no case matches; a trap if absent.
 */
otherwise: string | null, } | { "kind": "trap", 
/**
 * The trap message.
 */
message: string, };

export type MockCase = { 
/**
 * Arguments as a WAVE tuple, such as `("a")`.
 */
args: string, 
/**
 * Result as WAVE.
 */
returns: string, };

export type FakeName = "kv" | "log" | "config" | "clock" | "random" | "http";

export type ComponentView = { 
/**
 * Component id.
 */
id: string, 
/**
 * Path as written in the project.
 */
path: string, 
/**
 * Absolute path on disk.
 */
absPath: string, 
/**
 * File size in bytes.
 */
size: number, 
/**
 * Content hash (`sha256:…`) of the loaded component.
 */
hash: string | null, 
/**
 * Ports and WIT, if the file loaded.
 */
info: ComponentInfo | null, 
/**
 * Why the file did not load.
 */
error: string | null, };

export type InspectedFile = { 
/**
 * The file as given.
 */
file: string, 
/**
 * What it was, for people (`binary component`, `WASI preview1 core
 * module (command adapter)` …).
 */
source: string, 
/**
 * Whether it was converted into a component (text or a core module).
 */
converted: boolean, 
/**
 * Content hash of the file (`sha256:…`).
 */
hash: string, 
/**
 * File size in bytes.
 */
size: number, 
/**
 * Size of the component binary in bytes.
 */
componentSize: number, 
/**
 * Imports, in the component's order.
 */
imports: Array<PortInfo>, 
/**
 * Exports, in the component's order.
 */
exports: Array<PortInfo>, 
/**
 * The whole world as WIT.
 */
wit: string, };

export type ComponentInfo = { 
/**
 * Imports, in the component's order.
 */
imports: Array<PortInfo>, 
/**
 * Exports, in the component's order.
 */
exports: Array<PortInfo>, 
/**
 * The whole world as WIT.
 */
wit: string, };

export type PortKind = "interface" | "function";

export type PortInfo = { 
/**
 * Full name (`wasi:http/outgoing-handler@0.2.6`, `handle-request`).
 */
name: string, 
/**
 * Interface or function.
 */
kind: PortKind, 
/**
 * `namespace:package`.
 */
package: string | null, 
/**
 * Interface name.
 */
interface: string | null, 
/**
 * Package version.
 */
version: string | null, 
/**
 * Functions.
 */
functions: Array<FunctionInfo>, 
/**
 * Types defined by the interface.
 */
types: Array<TypeInfo>, 
/**
 * Carries only plain types: needs no wire and no binding.
 */
typesOnly: boolean, };

export type FunctionInfo = { 
/**
 * Name as called.
 */
name: string, 
/**
 * Freestanding, or a resource's constructor, method or static function.
 */
kind: FunctionKind, 
/**
 * The name a mock's `functions` table, a denial and the trace use:
 * `get`, `book.balance`, `book.constructor`.
 */
key: string, 
/**
 * The resource of a constructor, method or static function.
 */
resource: string | null, 
/**
 * Parameters.
 */
params: Array<ParamInfo>, 
/**
 * Result type as WIT.
 */
result: string | null, 
/**
 * Structure of the result type.
 */
resultShape: TypeShape | null, 
/**
 * `get: func(key: string) -> option<string>`.
 */
signature: string, };

export type ParamInfo = { 
/**
 * Name.
 */
name: string, 
/**
 * Type as WIT.
 */
ty: string, 
/**
 * Structure of the type.
 */
shape: TypeShape, };

export type TypeInfo = { 
/**
 * Name.
 */
name: string, 
/**
 * Record, variant, enum, flags, resource or alias (`type`).
 */
kind: TypeKind, 
/**
 * Fields, cases or flags.
 */
members: Array<MemberInfo>, 
/**
 * For aliases, the aliased type.
 */
target: string | null, };

export type MemberInfo = { 
/**
 * Name.
 */
name: string, 
/**
 * Field type or case payload.
 */
ty: string | null, };

export type TypeShape = { "kind": "primitive", 
/**
 * The WIT name.
 */
name: string, } | { "kind": "list", 
/**
 * Element type.
 */
of: TypeShape, } | { "kind": "option", 
/**
 * Payload type.
 */
of: TypeShape, } | { "kind": "result", 
/**
 * Ok payload.
 */
ok: TypeShape | null, 
/**
 * Err payload.
 */
err: TypeShape | null, } | { "kind": "tuple", 
/**
 * Items.
 */
items: Array<TypeShape>, } | { "kind": "record", 
/**
 * Type name.
 */
name: string | null, 
/**
 * Fields.
 */
fields: Array<FieldShape>, } | { "kind": "variant", 
/**
 * Type name.
 */
name: string | null, 
/**
 * Cases.
 */
cases: Array<CaseShape>, } | { "kind": "enum", 
/**
 * Type name.
 */
name: string | null, 
/**
 * Cases.
 */
cases: Array<string>, } | { "kind": "flags", 
/**
 * Type name.
 */
name: string | null, 
/**
 * Flags.
 */
flags: Array<string>, } | { "kind": "handle", 
/**
 * Resource name.
 */
name: string | null, 
/**
 * `borrow<…>` rather than `own<…>`.
 */
borrow: boolean, } | { "kind": "stream", 
/**
 * Item type.
 */
of: TypeShape, } | { "kind": "future", 
/**
 * Value type.
 */
of: TypeShape, } | { "kind": "unsupported", 
/**
 * The type as WIT.
 */
wit: string, };

export type FieldShape = { 
/**
 * Name.
 */
name: string, 
/**
 * Type.
 */
shape: TypeShape, };

export type CaseShape = { 
/**
 * Name.
 */
name: string, 
/**
 * Payload type.
 */
shape: TypeShape | null, };

export type Severity = "error" | "warning" | "note";

export type Problem = { 
/**
 * Error or warning.
 */
severity: Severity, 
/**
 * What kind of problem it is.
 */
code: ProblemCode, 
/**
 * What is wrong.
 */
message: string, 
/**
 * What it belongs to.
 */
location: Location, 
/**
 * Where it is in the project file, when it was read from one and the
 * entry was found there.
 */
position: FilePosition | null, };

export type FilePosition = { 
/**
 * 1-based line.
 */
line: number, 
/**
 * 1-based column.
 */
column: number, };

export type CheckReport = { 
/**
 * The project file.
 */
project: string, 
/**
 * How many problems are errors.
 */
errors: number, 
/**
 * How many are warnings (notes are neither).
 */
warnings: number, 
/**
 * Every problem, pinned to its place.
 */
problems: Array<Problem>, };

export type Location = { "kind": "project" } | { "kind": "component", 
/**
 * Component id.
 */
component: string, 
/**
 * Nodes using it.
 */
nodes: Array<string>, } | { "kind": "node", 
/**
 * Node id.
 */
node: string, } | { "kind": "port", 
/**
 * Node id.
 */
node: string, 
/**
 * Port name.
 */
port: string, } | { "kind": "wire", 
/**
 * Index into `doc.wires`.
 */
index: number, 
/**
 * `node.export`.
 */
from: string, 
/**
 * `node.import`.
 */
to: string, } | { "kind": "binding", 
/**
 * Its selector.
 */
selector: string, } | { "kind": "export", 
/**
 * Index into `doc.exports`.
 */
index: number, 
/**
 * Its name.
 */
name: string, } | { "kind": "composite", 
/**
 * The composite's name.
 */
composite: string, 
/**
 * The nodes of the enclosing graph that instantiate it.
 */
nodes: Array<string>, 
/**
 * Where inside the composite's own graph (its node, wire, export…).
 */
inner: Location, };

export type ImportMode = "wired" | "leave" | "grant" | "mock" | "deny";

export type ImportState = { 
/**
 * Node id.
 */
node: string, 
/**
 * Import name.
 */
port: string, 
/**
 * How it is satisfied.
 */
mode: ImportMode, 
/**
 * The selector of the binding that applies, if any.
 */
selector: string | null, 
/**
 * The fake serving it, for mocks with a fake.
 */
fake: FakeName | null, 
/**
 * Only carries types: needs neither wire nor binding.
 */
typesOnly: boolean, 
/**
 * The parts of a grant that scope this import when it is granted
 * (`env` for `wasi:cli/environment` …); empty when none does.
 */
scopes: Array<GrantScope>, };

export type InsideImports = { 
/**
 * The composite nodes entered, outermost first: a node of the top
 * level, then a node of its composite's graph, and so on.
 */
path: Array<string>, 
/**
 * The composite the last of them instantiates.
 */
composite: string, 
/**
 * Every import of every node of its graph, with how it is satisfied
 * (`selector` is the top level's binding that applies, if any).
 */
imports: Array<ImportState>, };

export type RunTarget = { 
/**
 * The composition's export name.
 */
export: string, 
/**
 * The function.
 */
function: FunctionInfo, 
/**
 * Call text before the arguments: `handle-request` or
 * `patchbay:sandbox/probe#run-all`.
 */
callPrefix: string, 
/**
 * Whether the function can be called from a form (no resource handles).
 */
callable: boolean, };

export type ComposedSummary = { 
/**
 * Size in bytes.
 */
size: number, 
/**
 * Content hash.
 */
hash: string, 
/**
 * Remaining imports: the attack surface.
 */
imports: Array<string>, 
/**
 * WIT of the result.
 */
wit: string, 
/**
 * The `.wac` recipe.
 */
wac: string, 
/**
 * Ports of the result.
 */
info: ComponentInfo | null, 
/**
 * Functions the run panel offers.
 */
runTargets: Array<RunTarget>, 
/**
 * Whether the composition exports `wasi:http/incoming-handler`.
 */
servesHttp: boolean, };

export type Analysis = { 
/**
 * Every problem.
 */
problems: Array<Problem>, 
/**
 * Every import of every node, with how it is satisfied.
 */
imports: Array<ImportState>, 
/**
 * The composed result, when the graph composes.
 */
composed: ComposedSummary | null, 
/**
 * How long checking and composing took, in milliseconds.
 */
millis: number, 
/**
 * The document's composites, each as the component it composes into
 * (the ports of a node instantiating it) or why it does not compose.
 * Absent when the document defines none.
 */
composites?: Array<ComponentView>, 
/**
 * The imports of the nodes inside composites, one entry per chain of
 * composite nodes that leads into one. Absent when no node
 * instantiates a composite.
 */
inside?: Array<InsideImports>, };

export type RunLimits = { 
/**
 * Wall-clock limit.
 */
timeoutMs: number, 
/**
 * Linear memory limit per instance.
 */
maxMemoryMib: number, 
/**
 * Fuel (instructions, roughly); unlimited if absent.
 */
fuel: number | null, 
/**
 * Captured stdout/stderr limit.
 */
maxOutputKib: number, };

export type RunFailure = { 
/**
 * What kind of failure.
 */
kind: FailureKind, 
/**
 * What happened.
 */
message: string, 
/**
 * The limit that was hit, if any.
 */
limit: LimitName | null, };

export type MockCall = { 
/**
 * Interface.
 */
interface: string, 
/**
 * Function.
 */
function: string, 
/**
 * Arguments as WAVE.
 */
args: Array<string>, 
/**
 * Result as WAVE.
 */
result: string, };

export type Denial = { 
/**
 * Nodes whose import is denied.
 */
nodes: Array<string>, 
/**
 * Interface.
 */
interface: string, 
/**
 * Function.
 */
function: string, };

export type TraceEntry = { 
/**
 * Calling node.
 */
caller: string, 
/**
 * Called node.
 */
callee: string, 
/**
 * `interface#function`.
 */
function: string, 
/**
 * Arguments as WAVE.
 */
args: Array<string>, 
/**
 * Result as WAVE, or the error.
 */
result: string, 
/**
 * When the call started, in microseconds since the run began.
 */
startMicros: number, 
/**
 * Duration in microseconds.
 */
micros: number, };

export type LogLevel = "TRACE" | "DEBUG" | "INFO" | "WARN" | "ERROR" | "CRITICAL";

export type LogLine = { 
/**
 * The nodes whose scope logged it.
 */
nodes: Array<string>, 
/**
 * Its level.
 */
level: LogLevel, 
/**
 * The guest's context (empty when it gave none).
 */
context: string, 
/**
 * The message.
 */
message: string, };

export type SessionTrace = { 
/**
 * The session's calls in the order they were made (since it began
 * or was cleared), each with the wire calls it made.
 */
calls: Array<CallTrace>, };

export type CallTrace = { 
/**
 * Its run number (the run report's).
 */
run: number, 
/**
 * The call as written.
 */
call: string, 
/**
 * The calls across wires it made, in the order they started.
 */
entries: Array<TraceEntry>, };

export type ScopeLine = { 
/**
 * The nodes whose scope it was.
 */
nodes: Array<string>, 
/**
 * Interface (`wasi:http/outgoing-handler`).
 */
interface: string, 
/**
 * Whether something the guest tried was refused (false: a narrowed
 * view it was given).
 */
refused: boolean, 
/**
 * What was refused or withheld.
 */
message: string, };

export type RunReport = { 
/**
 * Run number.
 */
run: number, 
/**
 * The call as WAVE.
 */
call: string, 
/**
 * Composed or traced.
 */
mode: RunMode, 
/**
 * Why that mode.
 */
modeReason: string, 
/**
 * Whether the call returned.
 */
ok: boolean, 
/**
 * The result as WAVE.
 */
result: string | null, 
/**
 * Why it failed.
 */
failure: RunFailure | null, 
/**
 * Captured stdout.
 */
stdout: string, 
/**
 * Captured stderr.
 */
stderr: string, 
/**
 * Calls answered by mocks.
 */
mockCalls: Array<MockCall>, 
/**
 * Calls refused by denials.
 */
denials: Array<Denial>, 
/**
 * Calls across wires.
 */
trace: Array<TraceEntry>, 
/**
 * `wasi:logging` lines, in order.
 */
logs: Array<LogLine>, 
/**
 * Reaches outside a node's scope, and narrowed views, by node.
 */
scope: Array<ScopeLine>, 
/**
 * Duration in microseconds.
 */
micros: number, 
/**
 * The limits it ran under.
 */
limits: RunLimits, };

export type BuildReport = { 
/**
 * The component.
 */
component: string, 
/**
 * The command, as written in the project file.
 */
command: string, 
/**
 * Whether it exited with status 0.
 */
success: boolean, 
/**
 * Its exit status, if it exited.
 */
status: number | null, 
/**
 * How it ended, for people (`exited with status 101`).
 */
ended: string, 
/**
 * Everything it wrote: stdout, then stderr.
 */
output: string, 
/**
 * How long it ran, in milliseconds.
 */
millis: number, };

export type ReloadReport = { 
/**
 * 0 for the first load, then 1, 2, … per reload.
 */
number: number, 
/**
 * The changed files, relative to the project folder.
 */
changed: Array<string>, 
/**
 * Whether the reload produced a new live state.
 */
ok: boolean, 
/**
 * On failure: whether the last good build stays live.
 */
keptLastGood: boolean, 
/**
 * What happened, for people.
 */
message: string, 
/**
 * The build commands that ran.
 */
builds: Array<BuildReport>, 
/**
 * Warnings and notes that did not stop the reload.
 */
notes: Array<string>, 
/**
 * The call re-run on the new state, if one was asked for.
 */
report: RunReport | null, };

export type Empty = Record<symbol, never>;

export type OpenProjectRequest = { 
/**
 * A `patchbay.toml` or a folder holding one; `null` shows the open
 * dialog. Must be a path the user chose (command line, dialog, drop).
 */
path: string | null, };

export type OpenedProject = { 
/**
 * The manifest file.
 */
path: string, 
/**
 * Its folder.
 */
dir: string, 
/**
 * The document.
 */
doc: ProjectDoc, 
/**
 * Every component, loaded.
 */
components: Array<ComponentView>, 
/**
 * Check and compose results.
 */
analysis: Analysis, 
/**
 * Unsaved changes autosaved after the file was last saved, if any.
 */
recovery: Recovery | null, 
/**
 * Notes for the user (the file was upgraded from an older version).
 */
notes: Array<string>, };

export type OpenSampleRequest = { 
/**
 * The sample's folder name (`kv-service`, `order-pipeline` …).
 */
name: string, };

export type SampleView = { 
/**
 * Folder name.
 */
name: string, 
/**
 * The first comment line of its `patchbay.toml`.
 */
description: string, };

export type NewProjectRequest = { 
/**
 * The folder (created if missing); `null` shows a folder dialog. Must
 * be a folder the user opened (command line, dialog) that holds no
 * project yet.
 */
dir: string | null, 
/**
 * The project's name (kebab-case); `null` or empty names it after the
 * folder.
 */
name: string | null, };

export type PackageFile = { 
/**
 * `ns:pkg`, as the recipe names it.
 */
name: string, 
/**
 * The component file (picked with `importPick`).
 */
path: string, };

export type ImportPlanRequest = { 
/**
 * The `.wac` or component file the user opened.
 */
file: string, 
/**
 * Packages given so far.
 */
deps: Array<PackageFile>, };

export type ImportKind = "wac" | "binary";

export type ImportPlan = { 
/**
 * The file.
 */
file: string, 
/**
 * What it is.
 */
kind: ImportKind, 
/**
 * The folder the project goes to unless another is picked: a new
 * folder beside the file, named after it.
 */
output: string, 
/**
 * Packages the recipe names that are neither given nor beside it, in
 * the order it needs them (the first one only: the next shows once
 * it is given).
 */
missingPackages: Array<string>, };

export type ImportPickRequest = { 
/**
 * The file being imported (the dialog starts beside it).
 */
file: string, 
/**
 * The package whose file to pick; `null` picks the project folder.
 */
package: string | null, };

export type ImportProjectRequest = { 
/**
 * The file to import (one the user opened).
 */
file: string, 
/**
 * The project folder: the plan's `output` or one picked.
 */
output: string, 
/**
 * Packages of a `.wac` recipe given by the user.
 */
deps: Array<PackageFile>, };

export type SampleComponentView = { 
/**
 * Its file name without `.wasm` (`kv-memory`).
 */
name: string, 
/**
 * Its absolute path, for `addComponents`.
 */
path: string, };

export type Recovery = { 
/**
 * The autosaved document.
 */
doc: ProjectDoc, 
/**
 * When it was written, in milliseconds since the Unix epoch.
 */
savedAtMs: number, 
/**
 * The components of `doc` as they load now (a component added before
 * the crash included; one whose file is gone says why).
 */
components: Array<ComponentView>, };

export type AddComponentsRequest = { 
/**
 * The current document (new ids must not clash with it).
 */
doc: ProjectDoc, 
/**
 * Files from a drop; `null` shows the open dialog.
 */
paths: Array<string> | null, };

export type DocRequest = { 
/**
 * The current document.
 */
doc: ProjectDoc, };

export type CandidatesRequest = { 
/**
 * The current document.
 */
doc: ProjectDoc, 
/**
 * Where the drag starts.
 */
port: PortAddr, };

export type Direction = "import" | "export";

export type Candidates = { 
/**
 * The side of the port the drag started from.
 */
direction: Direction, 
/**
 * Compatible ports on other nodes.
 */
ports: Array<PortAddr>, };

export type CheckWireRequest = { 
/**
 * The current document.
 */
doc: ProjectDoc, 
/**
 * Export side.
 */
from: PortAddr, 
/**
 * Import side.
 */
to: PortAddr, };

export type Verdict = { 
/**
 * Acceptable.
 */
ok: boolean, 
/**
 * Why not.
 */
reason: string | null, };

export type CheckMockValueRequest = { 
/**
 * The current document.
 */
doc: ProjectDoc, 
/**
 * Node id.
 */
node: string, 
/**
 * Import name.
 */
import: string, 
/**
 * Function name.
 */
function: string, 
/**
 * WAVE text of the result.
 */
value: string, };

export type FakeView = { 
/**
 * Its name in the project file.
 */
name: FakeName, 
/**
 * Short title.
 */
title: string, 
/**
 * What it does.
 */
description: string, };

export type FakeTargetsRequest = { 
/**
 * The current document.
 */
doc: ProjectDoc, 
/**
 * The fake.
 */
fake: FakeName, };

export type ImportFakesRequest = { 
/**
 * The current document.
 */
doc: ProjectDoc, 
/**
 * Node id.
 */
node: string, 
/**
 * Import name.
 */
port: string, };

export type CheckFakeRequest = { 
/**
 * The current document.
 */
doc: ProjectDoc, 
/**
 * The fake.
 */
fake: FakeName, 
/**
 * Node id.
 */
node: string, 
/**
 * Import name.
 */
port: string, };

export type GrantEntry = { "kind": "env", 
/**
 * The name.
 */
name: string, } | { "kind": "dir", 
/**
 * Folder on the host.
 */
host: string, 
/**
 * Path the guest sees.
 */
guest: string, } | { "kind": "allow", 
/**
 * The address.
 */
address: string, } | { "kind": "response", 
/**
 * The response text.
 */
text: string, } | { "kind": "bucket", 
/**
 * The bucket's name.
 */
name: string, } | { "kind": "config-prefix", 
/**
 * The prefix.
 */
prefix: string, };

export type CheckGrantEntryRequest = { 
/**
 * The entry.
 */
entry: GrantEntry, };

export type RunRequest = { 
/**
 * The current document.
 */
doc: ProjectDoc, 
/**
 * The call as WAVE: `handle-request("get a")`.
 */
call: string, 
/**
 * Limits.
 */
limits: RunLimits, 
/**
 * Trace calls across wires (falls back to composed when it cannot).
 */
traced: boolean, };

export type SessionCallRequest = { 
/**
 * The document as edited.
 */
doc: ProjectDoc, 
/**
 * The call, in WAVE.
 */
call: string, 
/**
 * Limits of this call.
 */
limits: RunLimits, 
/**
 * Run each node as its own instance, tracing wires.
 */
traced: boolean, };

export type SessionRequest = { 
/**
 * The document as edited.
 */
doc: ProjectDoc, 
/**
 * Run each node as its own instance, tracing wires.
 */
traced: boolean, };

export type SessionCalled = { 
/**
 * The call's report; absent when the session had ended.
 */
report: RunReport | null, 
/**
 * The session after the call.
 */
session: SessionInfo, };

export type SessionState = "none" | "live" | "ended";

export type SessionEndCause = "failure" | "edited";

export type SessionEnd = { 
/**
 * Why.
 */
cause: SessionEndCause, 
/**
 * The call that failed (cause `failure`).
 */
call: string | null, 
/**
 * Its failure kind (cause `failure`).
 */
kind: FailureKind | null, 
/**
 * A sentence for the panel.
 */
message: string, };

export type SessionInfo = { 
/**
 * None, live or ended.
 */
state: SessionState, 
/**
 * Calls that reached the instance.
 */
calls: number, 
/**
 * Milliseconds since the instance was made; absent before one is.
 */
ageMs: number | null, 
/**
 * Linear memory in use: the sum of the instance's memories, in bytes.
 */
memoryBytes: number, 
/**
 * Calls answered by mocks and fakes so far.
 */
mockCalls: number, 
/**
 * Calls across wires recorded so far (traced mode).
 */
traceEntries: number, 
/**
 * Entries held by the session's kv fakes.
 */
fakeEntries: number, 
/**
 * Composed or traced; absent with no session.
 */
mode: RunMode | null, 
/**
 * Why it ended.
 */
ended: SessionEnd | null, };

export type ServeRequest = { 
/**
 * The current document.
 */
doc: ProjectDoc, 
/**
 * Port on 127.0.0.1; a free one if absent.
 */
port: number | null, 
/**
 * Limits per request.
 */
limits: RunLimits, };

export type ServeInfo = { 
/**
 * `http://127.0.0.1:PORT/`.
 */
url: string, 
/**
 * The node whose handler serves.
 */
node: string, };

export type SaveRequest = { 
/**
 * The document.
 */
doc: ProjectDoc, 
/**
 * Ask where to save.
 */
saveAs: boolean, };

export type Saved = { 
/**
 * The manifest file.
 */
path: string, 
/**
 * The document as saved (paths rebased when saved elsewhere, hashes
 * updated).
 */
doc: ProjectDoc, };

export type SetDirtyRequest = { 
/**
 * Whether there are unsaved changes.
 */
dirty: boolean, };

export type ExportVariant = "sealed" | "open";

export type ExportPreview = { 
/**
 * The sealed artifact (the default), or `null` when sealing fails
 * ([`ExportPreview::sealed_error`] says why).
 */
sealed: VariantPreview | null, 
/**
 * Why the project cannot be exported sealed (a stub that cannot be
 * made or composed), naming the node and import.
 */
sealedError: string | null, 
/**
 * The open artifact.
 */
open: VariantPreview, 
/**
 * Default folder.
 */
dir: string, 
/**
 * File names.
 */
wasm: string, 
/**
 * `.wac` file name.
 */
wac: string, 
/**
 * `.wit` file name.
 */
wit: string, 
/**
 * Why Spin cannot deploy this project (it runs HTTP handlers), or
 * `null`.
 */
spinRefused: string | null, };

export type VariantPreview = { 
/**
 * Which variant.
 */
variant: ExportVariant, 
/**
 * The artifact's imports, decoded from its bytes (what
 * `wasm-tools component wit` lists for the written file).
 */
surface: Array<SurfaceItem>, 
/**
 * The deny and mock stubs composed in (sealed only), in the recipe's
 * order.
 */
stubs: Array<StubItem>, 
/**
 * Bindings that stay imports although they deny or mock (sealed only),
 * each with its reason.
 */
notSealed: Array<NotSealedItem>, 
/**
 * Size of the composed component.
 */
size: number, 
/**
 * WIT of the result.
 */
witText: string, 
/**
 * The recipe.
 */
wacText: string, };

export type StubKind = "deny" | "mock" | "fake" | "scope";

export type StubItem = { 
/**
 * Deny, mock, fake or scope.
 */
kind: StubKind, 
/**
 * The node whose import it satisfies.
 */
node: string, 
/**
 * The import.
 */
import: string, 
/**
 * Its functions (for a denial, the trap each raises).
 */
functions: Array<string>, 
/**
 * Its file in the export folder (`stubs/NAME.wasm`).
 */
file: string, };

export type NotSealedItem = { 
/**
 * The node.
 */
node: string, 
/**
 * The import.
 */
import: string, 
/**
 * Why it cannot be sealed (naming the function).
 */
reason: string, };

export type SurfaceItem = { 
/**
 * Import name.
 */
name: string, 
/**
 * What it lets the component do.
 */
meaning: string, 
/**
 * The nodes that reach the host through it, in instantiation order
 * (a node whose import a stub seals does not).
 */
nodes: Array<string>, 
/**
 * The interface only names types (no functions): a host declares it,
 * but it gives the component nothing to call.
 */
typesOnly: boolean, };

export type ExportRequest = { 
/**
 * The document.
 */
doc: ProjectDoc, 
/**
 * Target folder: must be the default folder or one chosen by dialog in
 * this session; `null` is the default.
 */
dir: string | null, 
/**
 * Show a folder dialog first.
 */
chooseDir: boolean, 
/**
 * Which artifact to write.
 */
variant: ExportVariant, 
/**
 * Where else it goes: manifests beside it, a registry.
 */
targets: DeployTargets, };

export type ShowFolderRequest = { 
/**
 * The folder ([`Exported::dir`]).
 */
dir: string, };

export type GroupNodesRequest = { 
/**
 * The document.
 */
doc: ProjectDoc, 
/**
 * Ids of top-level nodes to group (at least one).
 */
nodes: Array<string>, 
/**
 * The new composite's name (kebab-case, unused by components and
 * composites).
 */
name: string, };

export type Grouped = { 
/**
 * The new document.
 */
doc: ProjectDoc, 
/**
 * Id of the node that instantiates the new composite (its name, or
 * the name with `2`, `3`… added when a node has it).
 */
node: string, };

export type UngroupNodeRequest = { 
/**
 * The document.
 */
doc: ProjectDoc, 
/**
 * Id of a top-level node that instantiates a composite.
 */
node: string, };

export type Ungrouped = { 
/**
 * The new document.
 */
doc: ProjectDoc, 
/**
 * Ids the inner nodes got in the enclosing graph, in definition order.
 */
nodes: Array<string>, };

export type ExportCompositeRequest = { 
/**
 * The document.
 */
doc: ProjectDoc, 
/**
 * The composite's name.
 */
composite: string, 
/**
 * Target folder, by the export dialog's rule: the default (`out/`
 * beside the project) when `null`, else a folder chosen in the dialog
 * this session.
 */
dir: string | null, 
/**
 * Show a folder dialog first.
 */
chooseDir: boolean, };

export type ExportedComposite = { 
/**
 * The `.wasm` file written (`DIR/NAME.wasm`).
 */
path: string, 
/**
 * Its size in bytes.
 */
size: number, 
/**
 * Its imports (the composite's ports).
 */
imports: Array<string>, 
/**
 * Its exports.
 */
exports: Array<string>, };

export type SaveCompositeRequest = { 
/**
 * The document.
 */
doc: ProjectDoc, 
/**
 * The composite's name.
 */
composite: string, 
/**
 * The library folder, by the export dialog's rule (`null`: `out/`
 * beside the project); the project goes to `FOLDER/NAME/`.
 */
folder: string | null, 
/**
 * Show a folder dialog first.
 */
chooseFolder: boolean, };

export type SavedComposite = { 
/**
 * The project folder written (`FOLDER/NAME`).
 */
folder: string, 
/**
 * Its `patchbay.toml`: the composite's graph as a project, its
 * components copied under `components/`.
 */
manifest: string, 
/**
 * The composed component (`FOLDER/NAME/NAME.wasm`), the file another
 * project adds.
 */
component: string, };

export type DeployTargets = { 
/**
 * Write `spin.toml` (Spin manifest version 2) beside the artifact.
 */
spin: boolean, 
/**
 * Write `wadm.yaml` (a wasmCloud application) beside the artifact.
 */
wadm: boolean, 
/**
 * Push the artifact to an OCI registry, pull it back and verify it.
 */
oci: OciTarget | null, };

export type OciTarget = { 
/**
 * `REGISTRY/REPOSITORY[:TAG]`, e.g. `ghcr.io/you/app:1.0`.
 */
reference: string, 
/**
 * Speak plain HTTP even to a registry not on localhost or 127.0.0.1.
 */
insecure: boolean, 
/**
 * The username; with none, the docker config's credentials (or none).
 */
username: string | null, 
/**
 * The password or token, with the username.
 */
password: string | null, };

export type DeployTarget = "spin" | "wadm" | "oci";

export type TargetOutcome = { 
/**
 * Which target.
 */
target: DeployTarget, 
/**
 * What happened.
 */
result: TargetResult, };

export type TargetResult = { "kind": "written", 
/**
 * Its path.
 */
file: string, 
/**
 * What it cannot express (node, grant, why), also written in it
 * as comments.
 */
notes: Array<string>, } | { "kind": "pushed", 
/**
 * The reference pushed to, as given.
 */
reference: string, 
/**
 * `registry/repository@sha256:…`: exactly this artifact.
 */
pinned: string, 
/**
 * The digest of the manifest pushed.
 */
manifestDigest: string, 
/**
 * The digest of the manifest pulled back (equal, or the push
 * would have failed).
 */
pulledDigest: string, 
/**
 * The digest of the component layer.
 */
layerDigest: string, 
/**
 * The bytes pushed.
 */
size: number, } | { "kind": "failed", 
/**
 * The reason.
 */
message: string, };

export type Exported = { 
/**
 * Which artifact was written.
 */
variant: ExportVariant, 
/**
 * Folder.
 */
dir: string, 
/**
 * The composed component.
 */
wasm: string, 
/**
 * The recipe.
 */
wac: string, 
/**
 * The WIT of the result.
 */
wit: string, 
/**
 * The stubs the recipe names (sealed only).
 */
stubs: Array<string>, 
/**
 * Size of the component.
 */
size: number, 
/**
 * The written component's imports, decoded from its bytes.
 */
imports: Array<string>, 
/**
 * Each deployment target asked for, in the order Spin, wadm, OCI.
 */
targets: Array<TargetOutcome>, };

export type AppEvent = { "kind": "wireCall", 
/**
 * Run number.
 */
run: number, 
/**
 * Calling node.
 */
caller: string, 
/**
 * Called node.
 */
callee: string, 
/**
 * `interface#function`.
 */
function: string, 
/**
 * Duration.
 */
micros: number, } | { "kind": "denied", 
/**
 * Run number.
 */
run: number, 
/**
 * Nodes.
 */
nodes: Array<string>, 
/**
 * Interface.
 */
interface: string, 
/**
 * Function.
 */
function: string, } | { "kind": "outOfScope", 
/**
 * Run number.
 */
run: number, 
/**
 * Nodes.
 */
nodes: Array<string>, 
/**
 * Interface.
 */
interface: string, 
/**
 * What was refused or withheld.
 */
message: string, } | { "kind": "log", 
/**
 * Run number.
 */
run: number, 
/**
 * The line.
 */
line: LogLine, } | { "kind": "output", 
/**
 * Run number.
 */
run: number, 
/**
 * `stdout` or `stderr`.
 */
stream: string, 
/**
 * Text.
 */
text: string, } | { "kind": "runStarted", 
/**
 * Run number.
 */
run: number, 
/**
 * The call.
 */
call: string, } | { "kind": "runFinished", 
/**
 * Run number.
 */
run: number, 
/**
 * Whether it returned.
 */
ok: boolean, } | { "kind": "limitHit", 
/**
 * Run number.
 */
run: number, 
/**
 * Node.
 */
node: string, 
/**
 * Which limit.
 */
limit: string, 
/**
 * What happened.
 */
message: string, } | { "kind": "served", 
/**
 * Method.
 */
method: string, 
/**
 * Path.
 */
path: string, 
/**
 * Status.
 */
status: number, 
/**
 * Duration.
 */
micros: number, } | { "kind": "componentChanged", 
/**
 * The component as it is now.
 */
component: ComponentView, 
/**
 * What changed, for a toast.
 */
message: string, } | { "kind": "buildStarted", 
/**
 * The component.
 */
component: string, 
/**
 * The command, as written in the project file.
 */
command: string, } | { "kind": "buildFinished", 
/**
 * The component.
 */
component: string, 
/**
 * The command, as written in the project file.
 */
command: string, 
/**
 * Whether it exited with status 0.
 */
success: boolean, 
/**
 * How it ended, for people (`exited with status 101`).
 */
ended: string, 
/**
 * Everything it wrote: stdout, then stderr.
 */
output: string, 
/**
 * How long it ran, in milliseconds.
 */
millis: number, } | { "kind": "projectChanged", 
/**
 * The project file (absolute).
 */
path: string, 
/**
 * The document the file now holds; absent when it does not open.
 */
doc: ProjectDoc | null, 
/**
 * The components of that document as loaded now.
 */
components: Array<ComponentView>, 
/**
 * Why the file does not open (`file:line:col: …`), if it does not.
 */
error: string | null, 
/**
 * What happened, for a toast.
 */
message: string, } | { "kind": "filesDropped", 
/**
 * Absolute paths.
 */
paths: Array<string>, } | { "kind": "closeRequested" } | { "kind": "busy", 
/**
 * What (`compiling`, `composing`).
 */
task: string, 
/**
 * Started (true) or ended.
 */
busy: boolean, };
