"""JavaScript: a strict-mode harness runs the program and then each test, holding the proof.

The harness (``harness.js``, the same text for every job) reads the nonce off fd 4 and closes it,
captures everything it will call later (``fs.writeSync``, ``Reflect.apply``, the ``vm.Script``
methods, whose prototypes it freezes), takes away ``process.binding`` (through it a program
could patch the functions ``fs.writeSync`` calls), ``process.dlopen``, ``v8.setFlagsFromString``
and the in-process ``inspector`` sessions, and only then runs the program as a script in the
global scope. The reporter and the nonce live in the harness's strict-mode closure: a
program cannot name them, reach them through ``arguments.callee``, ``Function.caller`` or stack
frames, or replace anything they use.

Before the program runs, the built-in prototypes, constructors and JSON/Math/Reflect are frozen
(a few commonly assigned names become accessors that give the assigning object its own
property): nothing the program patches changes what the tests' operations mean.

Each test is a script of its own, wrapped in a strict-mode function whose parameters give it the real
``require`` (with an ``assert`` module the program cannot have patched), a ``console`` whose
``assert`` throws, and untouched bindings for the standard globals (``JSON``, ``Math``,
``parseInt``, ...); every other global the program defined is visible to it.
"""

from __future__ import annotations

import json
import os

HARNESS = r"""'use strict';
const fs = require('fs');
const vm = require('vm');
const nodeAssert = require('assert');
const writeSync = fs.writeSync, readFileSync = fs.readFileSync, closeSync = fs.closeSync;
const apply = Reflect.apply, construct = Reflect.construct, ownKeys = Reflect.ownKeys;
const freeze = Object.freeze, defineProperty = Object.defineProperty, getPrototypeOf = Object.getPrototypeOf;
const create = Object.create, getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor;
const fromCharCode = String.fromCharCode, charCodeAt = String.prototype.charCodeAt;
const reallyExit = process.reallyExit, String_ = String;
const Script = vm.Script, runScript = Script.prototype.runInThisContext;
freeze(Script.prototype);
freeze(getPrototypeOf(Script.prototype));
const nonce = readFileSync(4, 'latin1');
closeSync(4);
const job = JSON.parse(readFileSync('job.json', 'utf8'));
// The tests are the answer key: once read, neither they nor the harness stay on disk for the program.
fs.unlinkSync('job.json');
fs.unlinkSync('harness.js');
function takeAway(object, name, label) {
  try {
    defineProperty(object, name, {value: function () { throw new Error(label + ' is not available in the sandbox'); },
                                  writable: false, configurable: false});
  } catch (e) {}
}
// Ways into the harness's memory from JavaScript: internal bindings, native addons, V8 flags, and
// an in-process inspector session (it could read the reporter's closure).
for (const name of ['binding', '_linkedBinding', 'dlopen']) takeAway(process, name, 'process.' + name);
// Heap snapshots (they hold the nonce) and worker threads (each has its own inspector module,
// whose Session.connectToMainThread reads this thread's heap) are taken away as well.
for (const name of ['setFlagsFromString', 'getHeapSnapshot', 'writeHeapSnapshot']) {
  takeAway(require('v8'), name, 'v8.' + name);
}
for (const name of ['inspector', 'inspector/promises']) {
  try {
    const module = require(name);
    for (const member of ['Session', 'open', 'url', 'waitForDebugger']) takeAway(module, member, name + '.' + member);
  } catch (e) {}
}
try { takeAway(require('worker_threads'), 'Worker', 'worker_threads.Worker'); } catch (e) {}
// The report channel's identity: a descriptor 3 that is no longer the server's pipe (closed and
// reopened, or a pipe to a relay) gets no report.
const fstatSync = fs.fstatSync;
const reportId = fstatSync(3);
const reportDev = reportId.dev, reportIno = reportId.ino;

function report(line) {
  try {
    const now = apply(fstatSync, fs, [3]);
    if (now.dev !== reportDev || now.ino !== reportIno) {
      try { writeSync(2, '\nseedkit sandbox: the harness\'s report pipe was replaced; results not counted\n'); } catch (e2) {}
      apply(reallyExit, process, [72]);
    }
    writeSync(3, nonce + ' ' + line + '\n');
  } catch (e) {
    try { writeSync(2, '\nseedkit sandbox: the harness could not report; results not counted\n'); } catch (e2) {}
    apply(reallyExit, process, [70]);
  }
}

function copy(source, into, skip) {
  for (const key of ownKeys(source)) {
    const d = getOwnPropertyDescriptor(source, key);
    if (d && 'value' in d && !getOwnPropertyDescriptor(into, key) && key !== skip) {
      defineProperty(into, key, {value: d.value, enumerable: d.enumerable});
    }
  }
  return into;
}

function pristineAssert(original, strict) {
  const fn = function assert(...args) { return apply(original, undefined, args); };
  if (strict) defineProperty(fn, 'strict', {value: strict});
  return freeze(copy(original, fn, 'strict'));
}
const cleanAssert = pristineAssert(nodeAssert, pristineAssert(nodeAssert.strict, null));
const realRequire = require;
function testRequire(name) {
  if (name === 'assert' || name === 'node:assert') return cleanAssert;
  if (name === 'assert/strict' || name === 'node:assert/strict') return cleanAssert.strict;
  return realRequire(name);
}
const consoleOk = nodeAssert.ok;
const testConsole = create(null);
defineProperty(testConsole, 'assert', {value: function (value, ...message) {
  if (!value) apply(consoleOk, undefined, [false, message.length ? String_(message[0]) : 'console.assert failed']);
}});
freeze(copy(console, testConsole));

const GLOBALS = ['Object', 'Function', 'Array', 'Number', 'parseFloat', 'parseInt', 'Infinity', 'NaN', 'undefined',
  'Boolean', 'String', 'Symbol', 'Date', 'Promise', 'RegExp', 'Error', 'TypeError', 'RangeError', 'SyntaxError',
  'ReferenceError', 'EvalError', 'URIError', 'AggregateError', 'Map', 'Set', 'WeakMap', 'WeakSet', 'BigInt', 'Proxy',
  'isFinite', 'isNaN', 'encodeURI', 'encodeURIComponent', 'decodeURI', 'decodeURIComponent', 'escape', 'unescape',
  'ArrayBuffer', 'DataView', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array',
  'Int32Array', 'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array', 'structuredClone',
  'Buffer', 'process', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'globalThis'];
const NAMESPACES = ['JSON', 'Math', 'Reflect', 'Atomics'];
const params = [], values = [];
function give(name, value) {
  if (name !== job.entry_point) { params[params.length] = name; values[values.length] = value; }
}
give('require', testRequire);
give('module', {exports: {}});
give('exports', {});
give('console', testConsole);
give('assert', cleanAssert);
for (const name of GLOBALS) give(name, globalThis[name]);
for (const name of NAMESPACES) give(name, freeze(copy(globalThis[name], {})));
const paramList = params.join(', ');

function errorName(e) {
  let name = 'Error';
  try {
    const value = (e !== null && (typeof e === 'object' || typeof e === 'function')) ? e.name : undefined;
    if (typeof value === 'string') name = value;
  } catch (e2) {}
  let out = '';
  for (let i = 0; i < name.length && out.length < 60; i++) {
    const c = apply(charCodeAt, name, [i]);
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46) out += fromCharCode(c);
  }
  return out || 'Error';
}

function show(e) {
  try {
    const stack = (e !== null && typeof e === 'object') ? e.stack : undefined;
    writeSync(2, (typeof stack === 'string' ? stack : 'thrown: ' + typeof e) + '\n');
  } catch (e2) {}
}

function run(source, filename) {
  return apply(runScript, construct(Script, [source, {__proto__: null, filename}]), []);
}

for (const [name, value] of [['require', realRequire], ['module', {exports: {}}], ['__filename', '/tmp/job/program.js'],
                             ['__dirname', '/tmp/job']]) {
  defineProperty(globalThis, name, {value, writable: true, configurable: true, enumerable: false});
}
globalThis.exports = globalThis.module.exports;

// Built-in prototypes, constructors and namespaces are frozen before the program runs: what the
// tests compute with them (JSON.stringify's toJSON lookups, Array methods, ...) is what the
// language defines, not what the program patched in, whenever it runs (even while a result is
// being serialised). A few names that programs assign on their own objects (``this.name = ...``
// in an Error subclass, ``obj.toString = ...``) would otherwise hit the frozen prototype
// (JavaScript's "override mistake"): on the prototypes they become accessors whose setter gives
// the object an own property, and refuses the prototype itself.
const TAMED = ['constructor', 'name', 'message', 'toString', 'toLocaleString', 'valueOf', 'toJSON',
  'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable'];
const typeErrorCtor = TypeError;
function tame(proto) {
  for (const key of TAMED) {
    const d = getOwnPropertyDescriptor(proto, key);
    if (!d || !('value' in d) || !d.configurable) continue;
    const value = d.value;
    defineProperty(proto, key, {
      get: function () { return value; },
      set: function (v) {
        if (this === proto) throw new typeErrorCtor('built-in prototypes are frozen in the sandbox');
        defineProperty(this, key, {value: v, writable: true, enumerable: true, configurable: true});
      },
      enumerable: d.enumerable, configurable: false});
  }
  freeze(proto);
}
{
  const typed = [Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
    Float32Array, Float64Array, BigInt64Array, BigUint64Array];
  const errors = [Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError, AggregateError];
  const constructors = [Object, Function, Array, String, Number, Boolean, Symbol, BigInt, Date, RegExp, Map, Set,
    WeakMap, WeakSet, Promise, ArrayBuffer, DataView, ...typed];
  const protos = [...constructors, ...errors].map((c) => c.prototype);
  const iter = (x) => getPrototypeOf(x[Symbol.iterator]());
  const arrayIterator = iter([]);
  protos.push(getPrototypeOf(Int8Array.prototype), arrayIterator, getPrototypeOf(arrayIterator), iter(''),
              iter(new Map()), iter(new Set()), getPrototypeOf(function* () {}).prototype,
              getPrototypeOf(function* () {}), getPrototypeOf(async function () {}));
  for (const proto of protos) tame(proto);
  // Constructors' own functions (Object.keys, Array.isArray, ...): frozen; not the Error
  // constructors (node sets Error.stackTraceLimit / prepareStackTrace on them).
  for (const c of [...constructors, getPrototypeOf(Int8Array), JSON, Math, Reflect]) freeze(c);
}
let programOk = true;
try {
  run(job.program, 'program.js');
} catch (e) {
  const n = errorName(e);
  report('P ' + (n === 'AssertionError' ? 'fail' : 'error') + ' ' + n);
  show(e);
  programOk = false;
}
if (programOk) {
  report('P ok -');
  const tests = job.tests;
  for (let i = 0; i < tests.length; i++) {
    try {
      // strict: no function of the tests exposes its arguments or caller (a result's toJSON
      // walking .caller could read the expected value out of an assertEqual)
      const fn = run('(function (' + paramList + ') {\n\'use strict\';\n{\n' + tests[i] + '\n}\n})',
                     'test_' + i + '.js');
      apply(fn, undefined, values);
    } catch (e) {
      const n = errorName(e);
      report('T ' + i + ' ' + (n === 'AssertionError' || n === 'Error' ? 'fail' : 'error') + ' ' + n);
      show(e);
      continue;
    }
    report('T ' + i + ' ok -');
  }
  report('D');
}
"""


def run_javascript(job: dict) -> None:
    """Write the harness and the job, exec node (never returns)."""
    with open("harness.js", "w") as fh:
        fh.write(HARNESS)
    with open("job.json", "w") as fh:
        json.dump({"program": job["program"], "tests": job["tests"], "entry_point": job.get("entry_point")}, fh)
    node = job["toolchain"]
    heap = max(16, int(job["limits"]["memory_mb"]))
    os.execv(node, [node, f"--max-old-space-size={heap}", "--stack-size=2048", "harness.js"])
