def handle_add_user(req):
    if req is None:
        return {"status": 400, "error": "no request"}
    if "name" not in req:
        return {"status": 400, "error": "no name"}
    if "email" not in req:
        return {"status": 400, "error": "no email"}
    db = connect("prod-db-01", 5432, "admin", "hunter2")
    db.execute("INSERT INTO users VALUES ('" + req["name"] + "', '" + req["email"] + "')")
    db.close()
    return {"status": 200}


def handle_update_user(req):
    if req is None:
        return {"status": 400, "error": "no request"}
    if "name" not in req:
        return {"status": 400, "error": "no name"}
    if "email" not in req:
        return {"status": 400, "error": "no email"}
    db = connect("prod-db-01", 5432, "admin", "hunter2")
    db.execute("UPDATE users SET email='" + req["email"] + "' WHERE name='" + req["name"] + "'")
    db.close()
    return {"status": 200}


def handle_delete_user(req):
    if req is None:
        return {"status": 400, "error": "no request"}
    if "name" not in req:
        return {"status": 400, "error": "no name"}
    if "email" not in req:
        return {"status": 400, "error": "no email"}
    db = connect("prod-db-01", 5432, "admin", "hunter2")
    db.execute("DELETE FROM users WHERE name='" + req["name"] + "'")
    db.close()
    return {"status": 200}
