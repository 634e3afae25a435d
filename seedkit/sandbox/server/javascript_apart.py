"""JavaScript judged apart: the tests run in a node process where no candidate code has run.

Three processes per job. The *supervisor* (the job's program process, Python) forks the
candidate's enclosure (:mod:`enclosure`), then the *judge*: node on ``judge.js``, holding the
report pipe (3) and the nonce (4), and the channel to the candidate (5: replies in, 6: requests
out). The *candidate* is node on ``candidate.js`` in the enclosure: no report pipe, no nonce, no
``/proc``, a ``/tmp`` of its own. It runs the program, then answers the judge's calls. The
supervisor waits and ends the way the first of the two ended (:func:`enclosure.supervise`).

What crosses, in both directions, is plain data, rebuilt by the receiver from JSON text with
its own intrinsics: ``null``, ``undefined``, booleans, numbers (NaN, the infinities and -0
included), strings, bigints, arrays (``Array.prototype``, no other own properties), plain
objects (prototype ``Object.prototype`` or null, only enumerable data properties with string
keys), ``Map`` and ``Set``, recursively; and, at the top level of a value only, a function of
the candidate's, which the judge sees as a proxy function that calls it over the channel. Any
other value (an instance of a class, a Date, an object with a getter, a function inside an
object: ``{valueOf() {...}}``, ``{toJSON() {...}}``) makes that call throw ``NotPlainData`` in
the judge: the test fails with that reason. So no object of the candidate's takes part in a
comparison, ``JSON.stringify`` or a coercion the tests make: they run on values the judge built.

An array, plain object, Map or Set passed to a candidate function is updated in place with its
contents after the call; an error thrown in the candidate is thrown in the judge as the
judge's own built-in error class of that name (``Error`` for any other name, whose ``name`` is
kept). The program's top-level bindings (its functions, ``const`` tables, classes) are visible
to the tests by name, except names of the judge's own globals; ``new`` on a candidate class
gives an instance, which is not plain data.
"""

from __future__ import annotations

import json
import os

from .enclosure import Enclosure, place, supervise

ENCODE_JS = r"""
const isArray = Array.isArray, getPrototypeOf = Object.getPrototypeOf, ownKeys = Reflect.ownKeys;
const getOwnPropertyDescriptor = Object.getOwnPropertyDescriptor, defineProperty = Object.defineProperty;
const isNaN_ = Number.isNaN, is = Object.is, String_ = String, BigInt_ = BigInt, apply = Reflect.apply;
const ArrayProto = Array.prototype, ObjectProto = Object.prototype, MapProto = Map.prototype, SetProto = Set.prototype;
const mapEntries = Map.prototype.entries, setValues = Set.prototype.values;
const Map_ = Map, Set_ = Set, Buffer_ = Buffer, parse = JSON.parse, stringify = JSON.stringify;
const mapSet = Map.prototype.set, setAdd = Set.prototype.add, hasOwn = Object.prototype.hasOwnProperty;
const INDEX = /^(?:0|[1-9][0-9]*)$/, regexTest = RegExp.prototype.test;
function iterate(iterator) { const out = []; for (const x of {[Symbol.iterator]() { return iterator; }}) out[out.length] = x; return out; }
function encode(v, depth, fnRef) {
  if (v === null || typeof v === 'boolean' || typeof v === 'string') return v;
  if (typeof v === 'number') {
    if (isNaN_(v)) return {n: 'NaN'};
    if (v === Infinity) return {n: 'Infinity'};
    if (v === -Infinity) return {n: '-Infinity'};
    if (is(v, -0)) return {n: '-0'};
    return v;
  }
  if (v === undefined) return {u: 0};
  if (typeof v === 'bigint') return {g: String_(v)};
  if (typeof v === 'symbol') return {x: 'a symbol'};
  if (depth > 200) return {x: 'a value nested deeper than 200 levels'};
  if (typeof v === 'function') return depth === 0 && fnRef ? {f: fnRef(v)} : {x: 'a function inside a value'};
  const proto = getPrototypeOf(v);
  if (isArray(v) && proto === ArrayProto) {
    const out = [];
    for (const key of ownKeys(v)) {
      if (key === 'length') continue;
      if (typeof key !== 'string' || !apply(regexTest, INDEX, [key])) return {x: 'an array with other properties'};
      const d = getOwnPropertyDescriptor(v, key);
      if (!d || !('value' in d)) return {x: 'an array with an accessor'};
    }
    const n = v.length;
    for (let i = 0; i < n; i++) {
      const d = getOwnPropertyDescriptor(v, String_(i));
      const item = encode(d ? d.value : undefined, depth + 1, null);
      if (item !== null && typeof item === 'object' && 'x' in item) return item;
      out[out.length] = item;
    }
    return {a: out};
  }
  if (proto === MapProto || proto === SetProto) {
    const out = [];
    const items = proto === MapProto ? iterate(apply(mapEntries, v, [])) : iterate(apply(setValues, v, []));
    for (const item of items) {
      const e = proto === MapProto ? [encode(item[0], depth + 1, null), encode(item[1], depth + 1, null)]
                                   : encode(item, depth + 1, null);
      for (const part of (proto === MapProto ? e : [e])) {
        if (part !== null && typeof part === 'object' && 'x' in part) return part;
      }
      out[out.length] = e;
    }
    return proto === MapProto ? {M: out} : {S: out};
  }
  if (proto === ObjectProto || proto === null) {
    const out = [];
    for (const key of ownKeys(v)) {
      if (typeof key !== 'string') return {x: 'an object with a symbol key'};
      const d = getOwnPropertyDescriptor(v, key);
      if (!d || !('value' in d)) return {x: 'an object with an accessor (' + key.slice(0, 40) + ')'};
      if (!d.enumerable) return {x: 'an object with a hidden property'};
      const item = encode(d.value, depth + 1, null);
      if (item !== null && typeof item === 'object' && 'x' in item) return item;
      out[out.length] = [key, item];
    }
    return {o: out};
  }
  let what = 'object';
  try { const c = proto && getOwnPropertyDescriptor(proto, 'constructor'); if (c && typeof c.value === 'function') what = String_(c.value.name).slice(0, 40) || what; } catch (e) {}
  return {x: 'a ' + what + ' (not plain data)'};
}
class NotPlainData extends Error {}
defineProperty(NotPlainData.prototype, 'name', {value: 'NotPlainData'});
function decode(d, depth, fn) {
  if (d === null || typeof d === 'boolean' || typeof d === 'string' || typeof d === 'number') return d;
  if (depth > 202 || typeof d !== 'object' || isArray(d)) throw new NotPlainData('malformed value');
  const keys = ownKeys(d);
  if (keys.length !== 1) throw new NotPlainData('malformed value');
  const tag = keys[0], body = d[tag];
  if (tag === 'x') throw new NotPlainData('the candidate returned ' + String_(body).slice(0, 200) +
    ': return plain data (null, undefined, boolean, number, string, bigint, Array, plain object, Map, Set)');
  if (tag === 'u') return undefined;
  if (tag === 'n') {
    const n = {'NaN': NaN, 'Infinity': Infinity, '-Infinity': -Infinity, '-0': -0}[body];
    if (n === undefined) throw new NotPlainData('malformed number');
    return n;
  }
  if (tag === 'g' && typeof body === 'string' && /^-?[0-9]{1,5000}$/.test(body)) return BigInt_(body);
  if (tag === 'f' && typeof body === 'number' && depth === 0 && fn) return fn(body);
  if (!isArray(body)) throw new NotPlainData('malformed value');
  if (tag === 'a') { const out = []; for (const x of body) out[out.length] = decode(x, depth + 1, null); return out; }
  if (tag === 'S') { const out = new Set_(); for (const x of body) apply(setAdd, out, [decode(x, depth + 1, null)]); return out; }
  if (tag === 'M' || tag === 'o') {
    const out = tag === 'M' ? new Map_() : {};
    for (const pair of body) {
      if (!isArray(pair) || pair.length !== 2) throw new NotPlainData('malformed entry');
      const k = decode(pair[0], depth + 1, null), v = decode(pair[1], depth + 1, null);
      if (tag === 'M') apply(mapSet, out, [k, v]);
      else if (typeof k !== 'string') throw new NotPlainData('malformed key');
      else defineProperty(out, k, {value: v, writable: true, enumerable: true, configurable: true});
    }
    return out;
  }
  throw new NotPlainData('malformed value');
}
const fs = require('fs');
const readSync = fs.readSync, writeSync = fs.writeSync;
const MAX_MESSAGE = 64 * 1024 * 1024;
function sendFrame(fd, message) {
  const body = Buffer_.from(stringify(message), 'utf8');
  const head = Buffer_.alloc(4);
  head.writeUInt32BE(body.length, 0);
  for (const part of [head, body]) {
    let off = 0;
    while (off < part.length) {
      try { off += writeSync(fd, part, off, part.length - off); } catch (e) { if (e.code !== 'EAGAIN') throw e; }
    }
  }
}
function readExact(fd, n) {
  const buf = Buffer_.alloc(n);
  let off = 0;
  while (off < n) {
    let got;
    try { got = readSync(fd, buf, off, n - off, null); } catch (e) { if (e.code === 'EAGAIN') continue; throw e; }
    if (got === 0) return null;
    off += got;
  }
  return buf;
}
function receiveFrame(fd) {
  const head = readExact(fd, 4);
  if (head === null) return null;
  const size = head.readUInt32BE(0);
  if (size > MAX_MESSAGE) throw new NotPlainData('a message of ' + size + ' bytes');
  const body = readExact(fd, size);
  if (body === null) return null;
  return parse(body.toString('utf8'));
}
function waitForever() { Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); }
function errorName(e) {
  let name = 'Error';
  try {
    const value = (e !== null && (typeof e === 'object' || typeof e === 'function')) ? e.name : undefined;
    if (typeof value === 'string') name = value;
  } catch (e2) {}
  let out = '';
  for (let i = 0; i < name.length && out.length < 60; i++) {
    const c = name.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 46) out += String_.fromCharCode(c);
  }
  return out || 'Error';
}
"""

CANDIDATE_JS = r"""'use strict';
const vm = require('vm');
""" + ENCODE_JS + r"""
const Script = vm.Script, runScript = Script.prototype.runInThisContext, construct = Reflect.construct;
const program = fs.readFileSync('program.js', 'utf8');
const entry = fs.readFileSync('entry.txt', 'utf8');
fs.unlinkSync('program.js'); fs.unlinkSync('entry.txt'); fs.unlinkSync('candidate.js');
const REQUESTS = 3, REPLIES = 4;
const refs = [];
function fnRef(f) { refs[refs.length] = f; return refs.length - 1; }
function run(source, filename) { return apply(runScript, construct(Script, [source, {__proto__: null, filename}]), []); }
const RESERVED = new Set_(('break case catch class const continue debugger default delete do else export extends finally ' +
  'for function if import in instanceof new return super switch this throw try typeof var void while with yield let ' +
  'static enum await implements package protected interface private public null true false undefined arguments eval').split(' '));
const words = new Set_(program.match(/[A-Za-z_$][A-Za-z0-9_$]*/g) || []);
if (entry) words.add(entry);
const before = new Set_();
for (const w of words) if (w in globalThis) before.add(w);
for (const [name, value] of [['require', require], ['module', {exports: {}}], ['__filename', '/tmp/job/program.js'],
                             ['__dirname', '/tmp/job']]) {
  defineProperty(globalThis, name, {value, writable: true, configurable: true, enumerable: false});
}
globalThis.exports = globalThis.module.exports;
try {
  run(program, 'program.js');
} catch (e) {
  const n = errorName(e);
  try { writeSync(2, String_(e && e.stack || e) + '\n'); } catch (e2) {}
  sendFrame(REPLIES, {program: n === 'AssertionError' ? 'fail' : 'error', name: n});
  waitForever();
}
const names = {};
for (const w of words) {
  if (RESERVED.has(w) || (before.has(w) && w !== entry)) continue;
  let value;
  try { value = run(w, 'name.js'); } catch (e) { continue; }
  try { names[w] = encode(value, 0, fnRef); } catch (e) { names[w] = {x: 'unreadable'}; }
}
sendFrame(REPLIES, {program: 'ok', names});
for (;;) {
  let request;
  try { request = receiveFrame(REQUESTS); } catch (e) { request = null; }
  if (request === null) waitForever();
  let reply;
  try {
    const target = refs[request.ref];
    if (typeof target !== 'function') throw new NotPlainData('unknown function');
    const args = [];
    for (const a of request.args) args[args.length] = decode(a, 0, (n) => refs[n]);
    const value = request.op === 'new' ? construct(target, args) : apply(target, undefined, args);
    const after = [];
    for (const a of args) {
      const p = (a !== null && typeof a === 'object') ? getPrototypeOf(a) : undefined;
      after[after.length] = (p === ArrayProto || p === ObjectProto || p === MapProto || p === SetProto) ? encode(a, 0, null) : null;
    }
    reply = {value: encode(value, 0, fnRef), after};
  } catch (e) {
    let message = '';
    try { message = String_(e && e.message).slice(0, 300); } catch (e2) {}
    reply = {raise: errorName(e), message};
  }
  try { sendFrame(REPLIES, reply); } catch (e) { sendFrame(REPLIES, {raise: 'NotPlainData', message: 'unencodable reply'}); }
}
"""

JUDGE_JS = r"""'use strict';
const vm = require('vm');
const nodeAssert = require('assert');
""" + ENCODE_JS + r"""
const nonce = fs.readFileSync(4, 'latin1');
fs.closeSync(4);
const job = JSON.parse(fs.readFileSync(7, 'utf8'));  // on a pipe: the tests are never on disk
fs.closeSync(7);
fs.unlinkSync('judge.js');
const FROM = 5, TO = 6;
function report(line) {
  try {
    writeSync(3, nonce + ' ' + line + '\n');
  } catch (e) {
    try { writeSync(2, '\nseedkit sandbox: the judge could not report; results not counted\n'); } catch (e2) {}
    process.reallyExit(70);
  }
}
function receive() {
  let reply;
  try { reply = receiveFrame(FROM); } catch (e) { if (e instanceof NotPlainData) throw e; throw new NotPlainData('unreadable message from the candidate'); }
  if (reply === null) waitForever();  // the candidate is gone: the supervisor ends this job its way
  if (reply === null || typeof reply !== 'object' || isArray(reply)) throw new NotPlainData('malformed reply');
  return reply;
}
const proxies = new Map_(), proxyRefs = new WeakMap();
function proxy(ref) {
  if (!proxies.has(ref)) {
    const f = function candidateFunction(...args) { return call(new.target ? 'new' : 'call', ref, args); };
    proxyRefs.set(f, ref);
    proxies.set(ref, f);
  }
  return proxies.get(ref);
}
function toCandidate(f) {
  if (proxyRefs.has(f)) return proxyRefs.get(f);
  throw new NotPlainData('a function of the tests cannot be passed to the candidate: plain data only');
}
const ERRORS = {Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError};
function update(target, fresh) {
  if (getPrototypeOf(target) !== getPrototypeOf(fresh)) return;
  if (isArray(target)) { target.length = 0; for (const x of fresh) target.push(x); }
  else if (target instanceof Map_ || target instanceof Set_) {
    target.clear();
    for (const x of fresh) { if (target instanceof Map_) target.set(x[0], x[1]); else target.add(x); }
  } else {
    for (const k of ownKeys(target)) delete target[k];
    for (const k of ownKeys(fresh)) defineProperty(target, k, {value: fresh[k], writable: true, enumerable: true, configurable: true});
  }
}
function call(op, ref, args) {
  const encoded = [];
  for (const a of args) {
    const e = encode(a, 0, toCandidate);
    if (e !== null && typeof e === 'object' && 'x' in e) throw new NotPlainData('the tests passed ' + e.x + ' to the candidate');
    encoded[encoded.length] = e;
  }
  sendFrame(TO, {op, ref, args: encoded});
  const reply = receive();
  if ('raise' in reply) {
    const name = typeof reply.raise === 'string' ? reply.raise : 'Error';
    const message = typeof reply.message === 'string' ? reply.message : '';
    if (name === 'NotPlainData') throw new NotPlainData(message);
    const Klass = hasOwn.call(ERRORS, name) ? ERRORS[name] : Error;
    const error = new Klass(message);
    if (Klass === Error && name !== 'Error') defineProperty(error, 'name', {value: name, configurable: true, writable: true});
    throw error;
  }
  const value = decode(reply.value, 0, proxy);
  if (isArray(reply.after) && reply.after.length === args.length) {
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (reply.after[i] !== null && a !== null && typeof a === 'object') update(a, decode(reply.after[i], 0, null));
    }
  }
  return value;
}
const first = receive();
if (first.program !== 'ok') {
  const kind = first.program === 'fail' ? 'fail' : 'error';
  report('P ' + kind + ' ' + errorName({name: typeof first.name === 'string' ? first.name : 'Error'}));
  process.reallyExit(0);
}
const realRequire = require;
const testConsole = Object.create(console);
defineProperty(testConsole, 'assert', {value: function (value, ...message) {
  if (!value) nodeAssert.ok(false, message.length ? String_(message[0]) : 'console.assert failed');
}});
// Names the tests may use without defining them: the judge's own, never the program's.
const params = ['require', 'module', 'exports', 'console', 'assert', '__filename', '__dirname'];
const values = [realRequire, {exports: {}}, {}, testConsole, nodeAssert, '/tmp/job/tests.js', '/tmp/job'];
const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
const programNames = (first.names !== null && typeof first.names === 'object') ? first.names : {};
for (const name of ownKeys(programNames)) {
  if (typeof name !== 'string' || !IDENT.test(name) || params.includes(name)) continue;
  if (name in globalThis && name !== job.entry_point) continue;
  try { new Function(name, ''); } catch (e) { continue; }
  let value;
  try { value = decode(programNames[name], 0, proxy); } catch (e) {
    if (!(e instanceof NotPlainData)) continue;
    const why = e.message;
    value = new Proxy(function () {}, {get() { throw new NotPlainData(why); }, apply() { throw new NotPlainData(why); },
                                      construct() { throw new NotPlainData(why); }});
  }
  params.push(name);
  values.push(value);
}
report('P ok -');
const Script = vm.Script;
for (let i = 0; i < job.tests.length; i++) {
  try {
    const fn = new Script('(function (' + params.join(', ') + ') {\n\'use strict\';\n{\n' + job.tests[i] + '\n}\n})',
                          {filename: 'test_' + i + '.js'}).runInThisContext();
    apply(fn, undefined, values);
  } catch (e) {
    const n = errorName(e);
    report('T ' + i + ' ' + (n === 'AssertionError' || n === 'Error' ? 'fail' : 'error') + ' ' + n);
    try { writeSync(2, String_(e && e.stack || e) + '\n'); } catch (e2) {}
    continue;
  }
  report('T ' + i + ' ok -');
}
report('D');
fs.closeSync(TO);
"""


def run_javascript_apart(job: dict, enclosure: Enclosure) -> None:
    """Start the candidate in its enclosure and the judge beside it; supervise (never returns)."""
    node = job["toolchain"]
    heap = max(16, int(job["limits"]["memory_mb"]))
    flags = [f"--max-old-space-size={heap}", "--stack-size=2048"]
    with open("judge.js", "w") as fh:
        fh.write(JUDGE_JS)
    tests_r, tests_w = os.pipe()
    enclosure.start([node, *flags, "candidate.js"],
                    {"candidate.js": CANDIDATE_JS.encode(), "program.js": job["program"].encode("utf-8", "replace"),
                     "entry.txt": (job.get("entry_point") or "").encode()})
    place({5: enclosure.replies, 6: enclosure.requests, 7: tests_r})
    judge = os.fork()
    if judge == 0:
        os.close(tests_w)
        for fd in (3, 4, 5, 6, 7):
            os.set_inheritable(fd, True)
        os.execv(node, [node, *flags, "judge.js"])
    for fd in (3, 4, 5, 6, 7):
        os.close(fd)
    data = json.dumps({"tests": job["tests"], "entry_point": job.get("entry_point")}).encode()
    try:
        while data:
            data = data[os.write(tests_w, data):]
    except OSError:  # the judge is gone: supervise says how
        pass
    os.close(tests_w)
    supervise(judge, enclosure.pid)
