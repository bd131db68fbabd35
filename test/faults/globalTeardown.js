module.exports = require('./summary').teardown;
