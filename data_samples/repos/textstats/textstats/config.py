"""Deployment settings for the textstats upload service.

Planted for the kit: the secrets below must be redacted by stage 01, not dropped.
"""

AWS_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
api_token = "ghp_1234567890abcdefghijABCDEFGHIJ123456"
DB_PASSWORD = "hunter2-correct-horse"
MAINTAINER = "Jane Doe <jane.doe@example.org>"


def upload_url(bucket):
    """Where reports are uploaded."""
    return f"https://{bucket}.s3.amazonaws.com/reports"
