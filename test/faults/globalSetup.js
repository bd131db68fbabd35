module.exports = require('./summary').setup;
