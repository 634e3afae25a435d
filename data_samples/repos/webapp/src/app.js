// A tiny in-memory todo list with due dates.
const { slugify, formatDate, groupBy } = require("./util");

class TodoList {
  constructor() {
    this.items = [];
  }

  add(title, due) {
    const item = { id: slugify(title), title, due, done: false };
    this.items.push(item);
    return item;
  }

  complete(id) {
    const item = this.items.find((it) => it.id === id);
    if (!item) {
      throw new Error(`no todo with id ${id}`);
    }
    item.done = true;
    return item;
  }

  byDay() {
    return groupBy(this.items, (it) => formatDate(it.due));
  }

  pending() {
    return this.items.filter((it) => !it.done);
  }
}

module.exports = { TodoList };
