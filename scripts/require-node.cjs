// Runs before every npm script, on whatever Node the machine has: on a Node too old to run our
// TypeScript, or before `npm install`, it prints one line saying what to do instead of a stack
// trace. Plain ES5
// CommonJS on purpose, so that even a very old Node can parse it.
'use strict';

/** The one line to print when Node `version` does not satisfy `engines` (">=22.18"), else null. */
function tooOldMessage(version, engines) {
  var need = engines
    .replace(/^>=\s*/, '')
    .split('.')
    .map(Number);
  var have = version.replace(/^v/, '').split('.').map(Number);
  for (var i = 0; i < need.length; i++) {
    if ((have[i] || 0) > need[i]) return null;
    if ((have[i] || 0) < need[i]) {
      return (
        'handshake: Node ' +
        version +
        ' is too old; Node ' +
        need.join('.') +
        ' or newer is needed (24 LTS recommended: `npm install -g node@24`, then run this again).'
      );
    }
  }
  return null;
}

module.exports = { tooOldMessage: tooOldMessage };

if (require.main === module) {
  var message = tooOldMessage(process.versions.node, require('../package.json').engines.node);
  // npm writes this file at the end of every install: without it the imports would fail.
  var installed = require('fs').existsSync(
    require('path').join(__dirname, '..', 'node_modules', '.package-lock.json'),
  );
  if (!message && !installed) {
    message = 'handshake: the dependencies are not installed; run `npm install` first.';
  }
  if (message) {
    console.error(message);
    process.exit(1);
  }
}
