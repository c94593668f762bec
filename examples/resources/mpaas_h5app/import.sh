# An H5App is imported by its 8-digit H5App ID.
terraform import mpaas_h5app.portal 12345678
